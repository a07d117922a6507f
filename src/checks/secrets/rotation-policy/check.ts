import { defineCheck } from '../../../engine/define.js';

export const check = defineCheck({
  meta: {
    id: 'secrets.rotation-policy',
    section: 'secrets',
    title: "A secret rotation policy is documented and Key Vault secrets carry expiry dates within it",
    severity: 'medium',
    effort: { size: 'M', hours: [2, 4] },
    remediation: {
      text: "Write down who rotates which secret how often (Zoho client secret, bot secret, storage keys), and set expiry dates on the Key Vault secrets to match.",
      command: "az keyvault secret set-attributes --vault-name <prod-vault> --name <secret> --expires <date>",
      url: 'https://learn.microsoft.com/azure/key-vault/secrets/tutorial-rotation',
    },
    runs: "project docs (recognised by content) + Key Vault secret attributes (expiry, last update)",
  },
  requires: [],
  pending: "Zoho and bot credential probes (issue: Zoho production readiness, secrets hygiene and bot credentials)",
  evaluate() {
    throw new Error('pending checks are not evaluated');
  },
});
