import { defineCheck } from '../../../engine/define.js';

export const check = defineCheck({
  meta: {
    id: 'secrets.bot-credentials',
    section: 'secrets',
    title: "The bot's app secret is in the prod vault, valid, and not about to expire",
    severity: 'critical',
    blocker: true,
    effort: { size: 'S', hours: [1, 2] },
    remediation: {
      text: "Create a new client secret for the bot's app registration, store it in the prod Key Vault, and set a reminder 30 days before its end date.",
      command: "az ad app credential reset --id <bot-app-id> --append --display-name prod --years 1",
      url: 'https://learn.microsoft.com/azure/bot-service/bot-service-manage-settings',
    },
    runs: "Key Vault secret name; Entra client-credentials token request; Graph application passwordCredentials expiry",
  },
  requires: [],
  pending: "Zoho and bot credential probes (issue: Zoho production readiness, secrets hygiene and bot credentials)",
  evaluate() {
    throw new Error('pending checks are not evaluated');
  },
});
