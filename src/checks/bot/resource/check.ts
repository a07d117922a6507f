import { defineCheck } from '../../../engine/define.js';

export const check = defineCheck({
  meta: {
    id: 'bot.resource',
    section: 'bot',
    title: "The production Azure Bot resource exists with the Teams channel enabled",
    severity: 'high',
    blocker: true,
    effort: { size: 'S', hours: [1, 2] },
    remediation: {
      text: "Create the production Azure Bot resource and enable the Microsoft Teams channel.",
      command: "az bot msteams create --resource-group <prod-rg> --name <prod-bot>",
      url: 'https://learn.microsoft.com/azure/bot-service/channel-connect-teams',
    },
    runs: "ARM botServices get + channels/MsTeamsChannel",
  },
  requires: [],
  pending: "Azure Bot resource probes (issue: Azure through the official SDKs)",
  evaluate() {
    throw new Error('pending checks are not evaluated');
  },
});
