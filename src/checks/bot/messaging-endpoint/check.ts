import { defineCheck } from '../../../engine/define.js';

export const check = defineCheck({
  meta: {
    id: 'bot.messaging-endpoint',
    section: 'bot',
    title: "The bot's messaging endpoint is https://<prod domain>/api/messages",
    severity: 'critical',
    blocker: true,
    effort: { size: 'S', hours: [1, 1] },
    remediation: {
      text: "Set the production bot's messaging endpoint to the production domain.",
      command: "az bot update --resource-group <prod-rg> --name <prod-bot> --endpoint https://<prod-domain>/api/messages",
      url: 'https://learn.microsoft.com/azure/bot-service/bot-service-manage-settings',
    },
    runs: "ARM botServices get: properties.endpoint, compared with domain.prod + bot.messagingPath",
  },
  requires: [],
  pending: "Azure Bot resource probes (issue: Azure through the official SDKs)",
  evaluate() {
    throw new Error('pending checks are not evaluated');
  },
});
