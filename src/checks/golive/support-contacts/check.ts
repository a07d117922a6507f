import { defineCheck } from '../../../engine/define.js';
import { attestedCheck } from '../../lib/attested.js';

/** golive.support-contacts — who to call during and after go-live is written down; a person attests it. */
export const check = defineCheck(
  attestedCheck(
    {
      id: 'golive.support-contacts',
      section: 'golive',
      title: 'Support and escalation contacts for go-live are documented',
      severity: 'medium',
      effort: { size: 'S', hours: [1, 2] },
      remediation: {
        text:
          'Done means: one contact sheet, reachable by whoever is on call, lists who is on call during and after go-live ' +
          '(with phone numbers), the escalation path, the Zoho Books/Inventory admin, the Azure subscription owner and ' +
          'the Azure support plan, the Microsoft 365/Entra admin for the Teams bot, the DNS/domain owner, and the ' +
          'business owner who can pause order processing. Record its link in predeploy.attest.yaml.',
        url: 'https://sre.google/sre-book/being-on-call/',
      },
      runs: 'predeploy.attest.yaml: an attestation for golive.support-contacts',
    },
    {
      attest: 'on-call, escalation and vendor contacts (Zoho, Azure, Microsoft 365, DNS, business owner) are documented',
      evidence: '<link to the contact sheet>',
    },
  ),
);
