import { defineCheck } from '../../../engine/define.js';
import { attestedCheck } from '../attested.js';

/** golive.rollback — a written, rehearsed way back to the previous release; a person attests it. Blocks go-live. */
export const check = defineCheck(
  attestedCheck(
    {
      id: 'golive.rollback',
      section: 'golive',
      title: 'A written rollback runbook exists and a rollback to the previous release was rehearsed',
      severity: 'high',
      blocker: true,
      effort: { size: 'M', hours: [4, 8] },
      remediation: {
        text:
          'Done means: a written runbook with the exact command sequence to return to the previous release — stop ' +
          'workflow-api, workflow-worker and teams-bot (systemctl stop), switch the code back to the previous release ' +
          '(tag or release directory) and its dependencies, restore the previous configuration and Key Vault secret ' +
          'versions, start the services, verify /health and one test order — plus what to do about data written since ' +
          '(Cosmos DB restore, Zoho records, webhooks), who decides to roll back and by when; and the rollback was ' +
          'rehearsed on dev, with the time it took. Record the runbook and rehearsal links in predeploy.attest.yaml.',
        url: 'https://learn.microsoft.com/azure/well-architected/operational-excellence/safe-deployments',
      },
      runs: 'predeploy.attest.yaml: an attestation for golive.rollback',
    },
    {
      attest: 'a written rollback runbook (with its command sequence) exists and a rollback to the previous release was rehearsed',
      evidence: '<link to the runbook and to the rehearsal notes with its duration>',
    },
  ),
);
