import { defineCheck } from '../../../engine/define.js';
import type { Evidence, Finding, Facts, Unverified } from '../../../engine/types.js';
import { attestedCheck } from '../../lib/attested.js';
import { unverifiedOf } from '../../lib/failure.js';
import { capUnverified } from '../../lib/unverified.js';

/**
 * golive.rollback — a written, rehearsed way back to the previous release; a person attests it. Blocks go-live.
 *
 * The attestation decides the status (a rehearsal cannot be seen in files). A rollback runbook
 * found in the project by its content (project.runbooks) is shown as evidence and the summary says
 * whether one exists, so the person attesting knows what the tool found.
 */
const attested = attestedCheck(
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
);

const MAX_HEADINGS = 4;

/**
 * The runbook sentence that leads the summary, its evidence, and what it allows: an attestation
 * says a runbook exists; when none is found the attestation is at best a warning, and when the
 * project could not be searched (or a document could not be read) at best unknown.
 * A search that did not run is as good as one that failed: at best unknown.
 */
function runbookPart(facts: Facts): { lead: string; evidence: Evidence[]; cap?: 'warn'; unverified?: Unverified[] } | undefined {
  const outcome = facts.maybe('project.runbooks');
  if (!outcome || !outcome.ok) {
    const u = unverifiedOf('project.runbooks', outcome);
    return { lead: `could not look for a rollback runbook (${outcome ? outcome.detail : 'the search did not run'})`, evidence: [], ...(u ? { unverified: [u] } : {}) };
  }
  const found = outcome.value.runbooks.filter((r) => r.kinds.includes('rollback'));
  if (found.length === 0) {
    const unreadable = outcome.value.unreadable;
    return {
      lead: 'no rollback runbook found in the project',
      evidence: [{ text: `no document recognised as a rollback runbook (looked in ${outcome.value.searched.join(', ')})` }, ...unreadable.map((u) => ({ text: `could not read ${u}` }))],
      cap: 'warn',
      ...(unreadable.length > 0
        ? { unverified: unreadable.map((u) => ({ probe: 'project.runbooks', cause: { kind: 'probe', probe: 'project.runbooks', reason: 'failed' } as const, detail: `could not read ${u}` })) }
        : {}),
    };
  }
  return {
    lead: `rollback runbook found: ${found.map((r) => r.file).join(', ')}`,
    evidence: found.map((r) => {
      const headings = r.headings.slice(0, MAX_HEADINGS).join(' · ');
      return { text: `rollback runbook: ${r.file} — ${(r.signals.rollback ?? []).join(', ')}${headings ? `; headings: ${headings}` : ''}` };
    }),
  };
}

export const check = defineCheck({
  ...attested,
  meta: { ...attested.meta, runs: 'predeploy.attest.yaml: an attestation for golive.rollback; a rollback runbook in docs/, runbooks/ or *.md (recognised by content) as evidence' },
  uses: ['project.runbooks'],
  evaluate(facts, ctx): Finding {
    const finding = attested.evaluate(facts, ctx);
    const runbook = runbookPart(facts);
    if (!runbook) return finding;
    const combined: Finding = { ...finding, summary: `${runbook.lead}; ${finding.summary}`, evidence: [...runbook.evidence, ...finding.evidence] };
    // an attested rollback with no runbook to roll back by is at best a warning
    const capped: Finding = runbook.cap === 'warn' && finding.status === 'pass' ? { ...combined, status: 'warn' } : combined;
    // a missing sign-off stays `manual` (a person must act either way); a sign-off cannot pass on a search that failed
    if (capped.status === 'manual') return runbook.unverified ? { ...capped, unverified: runbook.unverified } : capped;
    return capUnverified(capped, runbook.unverified ?? []);
  },
});
