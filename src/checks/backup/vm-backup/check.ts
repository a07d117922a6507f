import { defineCheck } from '../../../engine/define.js';
import type { Evidence, Facts, Finding } from '../../../engine/types.js';
import type { VmInfo } from '../../../facts/azure.js';
import type { BackupJob } from '../../../facts/backup.js';
import { lookupUnverified } from '../../lib/azure.js';
import { unverifiedOf } from '../../lib/failure.js';
import { summaries } from '../../lib/key-facts.js';
import { capUnverified } from '../../lib/unverified.js';

/** A backup that has not run for two days missed at least one daily run. */
const STALE_HOURS = 48;
const MAX_JOBS = 8;
const MAX_SEARCHED = 16;
/** Snapshots older than this do not count as a schedule. */
const SNAPSHOT_DAYS = 7;

function jobText(j: BackupJob): string {
  const where = j.line === undefined ? j.source : `${j.source}:${j.line}`;
  const who = j.user ? `, as ${j.user}` : '';
  const last = j.lastRun ? `last run ${j.lastRun.ageHours} h ago (${j.lastRun.from})` : 'last run unknown (no log or output file found)';
  const cmd = j.command.length > 160 ? `${j.command.slice(0, 159)}…` : j.command;
  return `${where} (${j.schedule}${who}): ${cmd} — ${j.signals.join(', ')}; ${last}${j.ignored ? `; NEVER RUNS: ${j.ignored}` : ''}`;
}

/**
 * backup.vm-backup — the production VM is protected by Azure Backup (a Recovery Services vault
 * item whose last backup succeeded recently), read through ARM; local backup jobs on the host are
 * supporting evidence.
 *
 * Local jobs (cron, run-parts, systemd timers) are only half the answer: a copy on the same VM
 * dies with the VM. So without the Azure side (no credentials, prod VM TBD) local jobs are a
 * warning with their evidence, never a pass; no backup at all is a failure. Sources and rules: cron(8) https://manpages.debian.org/bookworm/cron/cron.8.en.html,
 * Azure VM backup https://learn.microsoft.com/azure/backup/backup-azure-vms-introduction
 */
export const check = defineCheck({
  meta: {
    id: 'backup.vm-backup',
    section: 'backup',
    title: 'The production VM is backed up (Recovery Services vault or snapshots) and the last backup succeeded',
    severity: 'high',
    effort: { size: 'M', hours: [2, 4] },
    remediation: {
      text:
        'Protect the VM with a Recovery Services vault policy (daily, 30 days) and check the first backup job succeeds. Keep any local job ' +
        '(pg_dump, tar, azcopy to Storage) writing to a log so its last run can be seen, and copy its output off the VM.',
      command: 'az backup protection enable-for-vm --resource-group <rg> --vault-name <vault> --vm <vm> --policy-name DefaultPolicy',
      url: 'https://learn.microsoft.com/azure/backup/quick-backup-vm-cli',
    },
    runs: 'ARM: Recovery Services protected item of the prod VM (last backup status and time), disk snapshots; host: /etc/crontab, /etc/cron.d, /etc/cron.{hourly,daily,weekly,monthly}, user crontabs, crontab -l, systemctl list-timers (backup jobs and their last run)',
  },
  requires: ['host.backup-jobs'],
  uses: ['azure.vm'],
  keyFacts: summaries('host.backup-jobs'),
  evaluate(facts, ctx) {
    const local = localSide(facts);
    const localU = local.unverified ?? [];
    const vm = facts.maybe('azure.vm');
    if (!vm || !vm.ok) {
      const why = vm ? `${vm.reason}: ${vm.detail}` : 'not run';
      const u = unverifiedOf('azure.vm', vm);
      // the local jobs alone never make it better than what the Azure side could have shown
      return capUnverified({ ...local, summary: `${local.summary}; Azure Backup not verified (${why})`, unverified: localU }, u ? [u] : []);
    }
    const prod = vm.value.prod;
    if (prod.status !== 'found') {
      if (prod.status === 'not-found') return { status: 'fail', summary: 'the production VM does not exist in Azure', evidence: [{ text: prod.detail, refs: prod.refs }, ...local.evidence] };
      const u = lookupUnverified(prod, 'azure.vm');
      return { ...local, summary: `${local.summary}; Azure Backup not verified (${prod.detail})`, evidence: [...local.evidence, { text: prod.detail, refs: prod.refs }], unverified: [...localU, ...(u ? [u] : [])] };
    }
    const azure = azureSide(prod.value, prod.refs, ctx.now);
    if (azure.status === 'unknown') {
      // the Azure side could not tell: the host side decides, at best a warning (a copy on the VM dies with it)
      const status = local.status === 'fail' ? 'fail' : local.status === 'warn' ? 'warn' : 'unknown';
      return { status, summary: `${local.summary}; ${azure.summary}`, evidence: [...azure.evidence, ...local.evidence], unverified: [...(azure.unverified ?? []), ...localU] };
    }
    const localNote = local.status === 'warn' ? ` (plus ${local.summary.split(';')[0]})` : '';
    return { ...azure, summary: `${azure.summary}${localNote}`, evidence: [...azure.evidence, ...local.evidence] };
  },
});

/** `protectionState` values that mean no new backup is taken (https://learn.microsoft.com/rest/api/backup/protected-items/get#protectionstate). */
const NOT_PROTECTING = /^(protectionstopped|protectionpaused|backupssuspended|protectionerror|invalid)$/i;
/** `lastBackupStatus` values of a backup that succeeded. */
const SUCCEEDED = /^(completed|succeeded|success|healthy)$/i;

/** The Recovery Services item of the prod VM, or its disk snapshots when no vault protects it. */
function azureSide(vm: VmInfo, refs: number[], now: Date): Finding {
  const b = vm.backup;
  if (b.status === 'found') {
    const i = b.value;
    const ev: Evidence[] = [{ text: `VM ${vm.name}: protected by vault ${i.vault} (policy ${i.policy ?? '?'}), state ${i.protectionState ?? '?'}, health ${i.healthStatus ?? '?'}, last backup ${i.lastBackupStatus ?? '?'} at ${i.lastBackupTime ?? 'never'}`, refs: b.refs }];
    const missing = (detail: string): Finding => ({
      status: 'unknown',
      summary: `Azure Backup of VM ${vm.name} not verified: ${detail}`,
      evidence: ev,
      unverified: [{ probe: 'azure.vm', cause: { kind: 'probe', probe: 'azure.vm', reason: 'failed' }, detail: `vault ${i.vault}: ${detail}`, ...(b.refs.length > 0 ? { refs: b.refs } : {}) }],
    });
    if (i.protectionState !== undefined && NOT_PROTECTING.test(i.protectionState)) {
      return { status: 'fail', summary: `VM ${vm.name}: protection in ${i.vault} is ${i.protectionState}: no new backup is taken`, evidence: ev };
    }
    if (i.lastBackupTime === undefined) return { status: 'warn', summary: `VM ${vm.name} is protected by ${i.vault} but has no completed backup yet`, evidence: ev };
    const at = Date.parse(i.lastBackupTime);
    if (Number.isNaN(at)) return missing(`the last backup time '${i.lastBackupTime}' is not a date`);
    const hours = Math.round((now.getTime() - at) / 3_600_000);
    if (/fail/i.test(i.lastBackupStatus ?? '')) return { status: 'fail', summary: `the last backup of VM ${vm.name} failed (${i.lastBackupTime})`, evidence: ev };
    if (hours > STALE_HOURS) return { status: 'fail', summary: `the last backup of VM ${vm.name} is ${hours} h old (> ${STALE_HOURS} h)`, evidence: ev };
    if (i.lastBackupStatus === undefined) return missing('the protected item reports no lastBackupStatus, so whether the last backup succeeded is not known');
    if (!SUCCEEDED.test(i.lastBackupStatus)) {
      if (/warning/i.test(i.lastBackupStatus)) return { status: 'warn', summary: `the last backup of VM ${vm.name} ${hours} h ago ended ${i.lastBackupStatus}`, evidence: ev };
      return missing(`the last backup status '${i.lastBackupStatus}' is not one that says it succeeded`);
    }
    if (/unhealthy|actionrequired/i.test(i.healthStatus ?? '')) return { status: 'warn', summary: `VM ${vm.name} backed up ${hours} h ago but its protection health is ${i.healthStatus}`, evidence: ev };
    return { status: 'pass', summary: `VM ${vm.name} backed up by ${i.vault} ${hours} h ago (${i.lastBackupStatus})`, evidence: ev };
  }
  if (b.status === 'forbidden' || b.status === 'error' || b.status === 'tbd') {
    const u = lookupUnverified(b, 'azure.vm');
    return { status: 'unknown', summary: `Azure Backup not verified (${b.detail})`, evidence: [{ text: b.detail, refs: b.refs }], ...(u ? { unverified: [u] } : {}) };
  }
  const snaps = vm.snapshots;
  const noVault: Evidence = { text: `VM ${vm.name}: no Recovery Services vault protects it (${b.detail})`, refs: b.refs.length > 0 ? b.refs : refs };
  if (snaps.status === 'found' && snaps.value.count > 0 && snaps.value.newest !== undefined) {
    const days = Math.round((now.getTime() - Date.parse(snaps.value.newest)) / 86_400_000);
    const ev = [noVault, { text: `${snaps.value.count} disk snapshot(s), newest ${snaps.value.newest}`, refs: snaps.refs }];
    if (days <= SNAPSHOT_DAYS) return { status: 'warn', summary: `VM ${vm.name} has disk snapshots only (newest ${days} d old), no vault backup policy`, evidence: ev };
    return { status: 'fail', summary: `VM ${vm.name} has no vault backup and its newest disk snapshot is ${days} d old`, evidence: ev };
  }
  return { status: 'fail', summary: `no Recovery Services vault protects VM ${vm.name} and it has no recent snapshot`, evidence: [noVault] };
}

/** The host side: scheduled backup jobs and when they last ran. */
function localSide(facts: Facts): Finding {
    const scan = facts.need('host.backup-jobs');
    const running = scan.jobs.filter((j) => j.ignored === undefined);
    const ignored = scan.jobs.filter((j) => j.ignored !== undefined);
    const evidence: Evidence[] = scan.jobs.slice(0, MAX_JOBS).map((j) => ({ text: jobText(j) }));
    if (scan.jobs.length > MAX_JOBS) evidence.push({ text: `… and ${scan.jobs.length - MAX_JOBS} more backup jobs` });
    const gaps: Evidence[] = scan.gaps.map((g) => ({ text: `not read: ${g.source}: ${g.detail}` }));

    if (running.length > 0) {
      const seen = running.filter((j) => j.lastRun !== undefined).sort((a, b) => (a.lastRun?.ageHours ?? 0) - (b.lastRun?.ageHours ?? 0));
      const newest = seen[0]?.lastRun;
      const stale = running.filter((j) => j.lastRun === undefined || j.lastRun.ageHours > STALE_HOURS).length;
      const parts = [`${running.length} local backup job(s) on the host`];
      parts.push(newest ? `newest run ${newest.ageHours} h ago` : 'no log or output shows when they last ran');
      if (newest && stale > 0) parts.push(`${stale} without a run in the last ${STALE_HOURS} h`);
      if (ignored.length > 0) parts.push(`${ignored.length} never run (see evidence)`);
      return { status: 'warn', summary: parts.join('; '), evidence: [...evidence, ...gaps] };
    }
    if (ignored.length > 0) {
      return {
        status: 'fail',
        summary: `backup job(s) are defined but never run: ${ignored[0]?.ignored ?? ''}`,
        evidence: [...evidence, ...gaps],
      };
    }
    const listed = scan.searched.length > MAX_SEARCHED ? [...scan.searched.slice(0, MAX_SEARCHED), `… ${scan.searched.length - MAX_SEARCHED} more`] : scan.searched;
    const searched: Evidence = { text: `searched: ${listed.join(', ')} (${scan.otherEntries} scheduled entries, none a backup)` };
    const blocking = scan.gaps.filter((g) => g.reason === 'permission' || g.reason === 'failed');
    if (blocking.length > 0) {
      const refs = facts.refs('host.backup-jobs');
      return {
        status: 'unknown',
        summary: `no backup job found, but ${blocking.map((g) => g.source).join(', ')} could not be read: run predeploy as root`,
        evidence: [searched, ...gaps],
        unverified: blocking.map((g) => ({
          probe: 'host.backup-jobs',
          cause: g.reason === 'permission' ? { kind: 'permission' as const, what: g.source } : { kind: 'probe' as const, probe: 'host.backup-jobs', reason: 'failed' as const },
          detail: `${g.source}: ${g.detail}`,
          ...(refs.length > 0 ? { refs } : {}),
        })),
      };
    }
    return {
      status: 'fail',
      summary: 'no backup job on the host (cron, run-parts, user crontabs, systemd timers)',
      evidence: [searched, ...gaps],
    };
}
