import { defineCheck } from '../../../engine/define.js';
import type { Evidence } from '../../../engine/types.js';
import type { BackupJobs, Runbook } from '../../../facts/backup.js';
import type { ProbeOutcome } from '../../../engine/types.js';
import { attestationSnippet, evaluateAttestation, type AttestationAsk } from '../../lib/attested.js';
import { summaries } from '../../lib/key-facts.js';

const ID = 'backup.recovery-procedure';
const ASK: AttestationAsk = {
  attest: 'a restore drill following the recovery runbook was done (Cosmos DB point-in-time restore into a scratch account, a blob version restore, a VM restore from the vault) and its duration recorded',
  evidence: '<link to the drill notes: date, what was restored, how long it took>',
};
const MAX_HEADINGS = 4;
const MAX_OTHERS = 8;

/** "docs/recovery-runbook.md — restore, cosmos db point-in-time restore, …; headings: A · B · C" */
export function runbookText(r: Runbook, kind: 'recovery' | 'rollback'): string {
  const headings = r.headings.slice(0, MAX_HEADINGS).join(' · ');
  return `${r.file} — ${(r.signals[kind] ?? []).join(', ')}${headings ? `; headings: ${headings}${r.headings.length > MAX_HEADINGS ? ' · …' : ''}` : ''}`;
}

function backupJobsText(outcome: ProbeOutcome<BackupJobs> | undefined): string | undefined {
  if (!outcome) return undefined;
  if (!outcome.ok) return `host backup jobs: could not be listed (${outcome.detail})`;
  const running = outcome.value.jobs.filter((j) => j.ignored === undefined);
  if (running.length === 0) return 'host backup jobs: none found (see backup.vm-backup)';
  const newest = running.map((j) => j.lastRun).filter((l) => l !== undefined).sort((a, b) => a.ageHours - b.ageHours)[0];
  return `host backup jobs: ${running.length}${newest ? `, newest run ${newest.ageHours} h ago (${newest.from})` : ', no evidence of a run'}`;
}

/**
 * backup.recovery-procedure — a written recovery runbook exists (found in the project by its
 * content) and a person attests a restore drill. A backup nobody has restored from is a hope,
 * not a backup: the drill is what proves the runbook and gives a real recovery time
 * (https://learn.microsoft.com/azure/well-architected/reliability/disaster-recovery#test-your-plan).
 */
export const check = defineCheck({
  meta: {
    id: ID,
    section: 'backup',
    title: 'A recovery procedure is written down and a restore drill has been done',
    severity: 'high',
    effort: { size: 'M', hours: [4, 8] },
    remediation: {
      text:
        'Write the restore runbook in docs/ (Cosmos DB point-in-time restore with `az cosmosdb restore`, blob version / point-in-time restore, ' +
        'VM restore from the Recovery Services vault, with numbered steps and the exact commands), run a restore drill into a scratch resource group, ' +
        `and attest it in predeploy.attest.yaml: ${attestationSnippet(ID, ASK, 'YYYY-MM-DD')}`,
      url: 'https://learn.microsoft.com/azure/cosmos-db/restore-account-continuous-backup',
    },
    runs: "runbooks in the project's docs/, runbooks/ and *.md (recognised by content) + an attestation of the restore drill; host backup jobs as context",
  },
  requires: ['project.runbooks'],
  uses: ['project.attestations', 'host.backup-jobs'],
  context: ['host.backup-jobs'],
  keyFacts: summaries('project.runbooks'),
  evaluate(facts, ctx) {
    const scan = facts.need('project.runbooks');
    const recovery = scan.runbooks.filter((r) => r.kinds.includes('recovery'));
    const jobs = backupJobsText(facts.maybe('host.backup-jobs'));
    const context: Evidence[] = jobs ? [{ text: jobs }] : [];
    const unreadable: Evidence[] = scan.unreadable.map((u) => ({ text: `could not read ${u}` }));

    if (recovery.length === 0) {
      const where = scan.searched.join(', ');
      const others = scan.otherDocuments.length > 0 ? [{ text: `documents not recognised as a recovery runbook: ${scan.otherDocuments.slice(0, MAX_OTHERS).join(', ')}${scan.otherDocuments.length > MAX_OTHERS ? ', …' : ''}` }] : [];
      const evidence = [{ text: `looked in ${where}` }, ...others, ...unreadable, ...context];
      if (unreadable.length > 0) {
        return {
          status: 'unknown',
          summary: `no recovery runbook found, but ${unreadable.length} document(s) or folder(s) could not be read`,
          evidence,
          unverified: scan.unreadable.map((u) => {
            // `docs/dr.md: permission denied` (project.runbooks), relative to the project root
            const [path = u, why = ''] = u.split(/: (?=[^:]*$)/);
            return {
              probe: 'project.runbooks',
              cause: why === 'permission denied' ? { kind: 'permission', what: path } : { kind: 'probe', probe: 'project.runbooks', reason: 'failed' },
              detail: `could not read ${u}`,
            };
          }),
        };
      }
      return {
        status: 'fail',
        summary: 'no recovery runbook in the project: no document describes restoring Cosmos DB, blobs or the VM with steps or commands',
        evidence,
      };
    }

    const files = recovery.map((r) => r.file).join(', ');
    const runbookEvidence: Evidence[] = recovery.map((r) => ({ text: `recovery runbook: ${runbookText(r, 'recovery')}` }));
    const attestations = facts.maybe('project.attestations');
    if (!attestations || !attestations.ok) {
      const why = attestations ? `predeploy.attest.yaml could not be read (${attestations.detail})` : 'attestations were not read';
      return {
        status: 'manual',
        summary: `recovery runbook found (${files}); a restore drill must be attested, but ${why}`,
        evidence: [...runbookEvidence, ...context],
      };
    }
    const drill = evaluateAttestation(ID, ASK, facts, ctx);
    const summary = drill.status === 'pass' ? `recovery runbook ${files}; restore drill ${drill.summary}` : `recovery runbook found (${files}); ${drill.summary}`;
    return { status: drill.status, summary, evidence: [...runbookEvidence, ...drill.evidence, ...context] };
  },
});
