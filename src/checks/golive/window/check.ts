import { defineCheck } from '../../../engine/define.js';
import { attestedCheck } from '../../lib/attested.js';

/** golive.window — the go-live slot is agreed and announced; a person attests it. */
export const check = defineCheck(
  attestedCheck(
    {
      id: 'golive.window',
      section: 'golive',
      title: 'A go-live window is agreed with the business and announced',
      severity: 'medium',
      effort: { size: 'S', hours: [1, 2] },
      remediation: {
        text:
          'Done means: a date and time window at low order volume, agreed with the business and announced to users, ' +
          'with a change freeze around it, a named go/no-go decision owner, the people on hand during the window, and ' +
          'a rollback deadline (the time after which you roll back rather than fix forward). Record the announcement ' +
          'link in predeploy.attest.yaml, with expires: set to the end of the window.',
        url: 'https://learn.microsoft.com/azure/well-architected/operational-excellence/safe-deployments',
      },
      runs: 'predeploy.attest.yaml: an attestation for golive.window',
    },
    {
      attest: 'a go-live window is agreed with the business and announced, with a go/no-go owner and a rollback deadline',
      evidence: '<link to the announcement or change record>',
    },
  ),
);
