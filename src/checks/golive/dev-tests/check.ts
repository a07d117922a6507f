import { defineCheck } from '../../../engine/define.js';
import { attestedCheck } from '../../lib/attested.js';

/** golive.dev-tests — the build going live passed its tests in dev; a person attests it. */
export const check = defineCheck(
  attestedCheck(
    {
      id: 'golive.dev-tests',
      section: 'golive',
      title: 'The release going live passed its full test suite in dev',
      severity: 'high',
      effort: { size: 'M', hours: [2, 8] },
      remediation: {
        text:
          'Done means: the exact commit being deployed passed the automated tests (unit, and integration against the Zoho ' +
          'sandbox org and the dev bot) in CI or on the dev VM, with no tests skipped to get green, and the order flow ' +
          '(intake → Zoho Books/Inventory → Teams notification) was exercised end to end in dev. Record who checked, when ' +
          'and a link to the test run in predeploy.attest.yaml.',
        url: 'https://learn.microsoft.com/azure/well-architected/operational-excellence/testing',
      },
      runs: 'predeploy.attest.yaml: an attestation for golive.dev-tests',
    },
    {
      attest: 'the commit being deployed passed the full test suite in dev (unit, integration with the Zoho sandbox and dev bot, end-to-end order flow)',
      evidence: '<link to the CI run or test log, and the commit>',
    },
  ),
);
