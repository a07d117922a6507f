import { defineCheck } from '../../../engine/define.js';

export const check = defineCheck({
  meta: {
    id: 'bot.app-registration',
    section: 'bot',
    title: "The production bot uses a single-tenant or managed-identity app registration",
    severity: 'high',
    effort: { size: 'S', hours: [1, 2] },
    remediation: {
      text: "Create the production bot with a SingleTenant or UserAssignedMSI app (new multi-tenant bots can no longer be created).",
      command: "az bot create --resource-group <prod-rg> --name <prod-bot> --app-type SingleTenant --appid <app-id> --tenant-id <tenant-id>",
      url: 'https://learn.microsoft.com/azure/bot-service/bot-service-quickstart-registration',
    },
    runs: "ARM botServices get: msaAppType, msaAppId, msaAppTenantId",
  },
  requires: [],
  pending: "Azure Bot resource probes (issue: Azure through the official SDKs)",
  evaluate() {
    throw new Error('pending checks are not evaluated');
  },
});
