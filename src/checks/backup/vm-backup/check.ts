import { defineCheck } from '../../../engine/define.js';
import type { Evidence } from '../../../engine/types.js';
import type { BackupJob } from '../../../facts/backup.js';

/** A backup that has not run for two days missed at least one daily run. */
const STALE_HOURS = 48;
const MAX_JOBS = 8;
const MAX_SEARCHED = 16;
const AZURE_SIDE = 'the Azure-side VM backup (Recovery Services vault protection and its last job) is verified by the Azure checks (later issue)';

function jobText(j: BackupJob): string {
  const where = j.line === undefined ? j.source : `${j.source}:${j.line}`;
  const who = j.user ? `, as ${j.user}` : '';
  const last = j.lastRun ? `last run ${j.lastRun.ageHours} h ago (${j.lastRun.from})` : 'last run unknown (no log or output file found)';
  const cmd = j.command.length > 160 ? `${j.command.slice(0, 159)}…` : j.command;
  return `${where} (${j.schedule}${who}): ${cmd} — ${j.signals.join(', ')}; ${last}${j.ignored ? `; NEVER RUNS: ${j.ignored}` : ''}`;
}

/**
 * backup.vm-backup (host side) — scheduled backup jobs on the VM and when they last ran.
 *
 * Local jobs (cron, run-parts, systemd timers) are only half the answer: a copy on the same VM
 * dies with the VM, and the VM itself is protected by Azure Backup — which the Azure checks read
 * later. So local jobs are a warning with their evidence, never a pass from this side; no backup
 * at all is a failure. Sources and rules: cron(8) https://manpages.debian.org/bookworm/cron/cron.8.en.html,
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
    runs: 'host: /etc/crontab, /etc/cron.d, /etc/cron.{hourly,daily,weekly,monthly}, user crontabs, crontab -l, systemctl list-timers (backup jobs and their last run); Recovery Services vault: Azure checks (later)',
  },
  requires: ['host.backup-jobs'],
  evaluate(facts) {
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
      return { status: 'warn', summary: `${parts.join('; ')}; ${AZURE_SIDE}`, evidence: [...evidence, ...gaps] };
    }
    if (ignored.length > 0) {
      return {
        status: 'fail',
        summary: `backup job(s) are defined but never run: ${ignored[0]?.ignored ?? ''}; ${AZURE_SIDE}`,
        evidence: [...evidence, ...gaps],
      };
    }
    const listed = scan.searched.length > MAX_SEARCHED ? [...scan.searched.slice(0, MAX_SEARCHED), `… ${scan.searched.length - MAX_SEARCHED} more`] : scan.searched;
    const searched: Evidence = { text: `searched: ${listed.join(', ')} (${scan.otherEntries} scheduled entries, none a backup)` };
    const blocking = scan.gaps.filter((g) => g.reason === 'permission' || g.reason === 'failed');
    if (blocking.length > 0) {
      return {
        status: 'unknown',
        summary: `no backup job found, but ${blocking.map((g) => g.source).join(', ')} could not be read: run predeploy as root`,
        evidence: [searched, ...gaps],
      };
    }
    return {
      status: 'fail',
      summary: `no backup job on the host (cron, run-parts, user crontabs, systemd timers); ${AZURE_SIDE}`,
      evidence: [searched, ...gaps],
    };
  },
});
