import { defineCheck } from '../../../engine/define.js';
import { attestedCheck } from '../../lib/attested.js';

/** golive.uat — business users signed off acceptance testing; a person attests it. Blocks go-live. */
export const check = defineCheck(
  attestedCheck(
    {
      id: 'golive.uat',
      section: 'golive',
      title: 'Business users signed off user acceptance testing of the release',
      severity: 'high',
      blocker: true,
      effort: { size: 'M', hours: [4, 16] },
      remediation: {
        text:
          'Done means: the people who process orders ran the agreed UAT scenarios on the release candidate (new order, ' +
          'amended and cancelled order, stock/invoice in Zoho Books/Inventory, Teams bot notifications and commands, ' +
          'failure cases) against the Zoho sandbox, open defects are fixed or explicitly accepted, and a named business ' +
          'owner signed off in writing. Record the sign-off link in predeploy.attest.yaml.',
        url: 'https://learn.microsoft.com/azure/well-architected/operational-excellence/testing',
      },
      runs: 'predeploy.attest.yaml: an attestation for golive.uat',
    },
    {
      attest: 'business users ran the UAT scenarios on the release candidate and a named business owner signed off',
      evidence: '<link to the written UAT sign-off>',
    },
  ),
);
