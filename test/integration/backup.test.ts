/**
 * Backup jobs and runbooks against real tools and real files: `crontab -l` (cron), `systemctl
 * list-timers` (no systemd in this container: recorded, not a crash), real modification times
 * (utimes) and real file modes on a staged tree, and the example project's runbooks.
 */
import { chmod, mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check as recoveryProcedure } from '../../src/checks/backup/recovery-procedure/check.js';
import { check as vmBackup } from '../../src/checks/backup/vm-backup/check.js';
import { check as rollback } from '../../src/checks/golive/rollback/check.js';
import { ORDER_PROCESSING_PROFILE } from '../../src/config/profile.js';
import { evaluateCheck, outcomesOf } from '../../src/engine/evaluate.js';
import { collectBackupJobs } from '../../src/probes/host/backup-jobs/probe.js';
import { attestationsProbe } from '../../src/probes/project/attestations/probe.js';
import { runbooksProbe } from '../../src/probes/project/runbooks/probe.js';
import { realContext, requireTool } from '../helpers/real-context.js';
import { fixtureText } from '../probes/fixture-dirs.js';

const checkCtx = () => ({ config: ORDER_PROCESSING_PROFILE, now: new Date() });
const EXAMPLE_ROOT = new URL('../../examples/order-processing', import.meta.url).pathname;

describe('backup jobs on a real host', () => {
  it('this container: no backup job, the missing systemd is recorded, backup.vm-backup fails with what was searched', async () => {
    await requireTool('crontab', 'cron');
    const r = await collectBackupJobs(realContext());
    if (!r.ok) throw new Error(r.detail);
    expect(r.value.jobs).toEqual([]);
    expect(r.value.otherEntries).toBeGreaterThanOrEqual(4); // the stock /etc/crontab run-parts lines at least
    expect(r.value.gaps.map((g) => g.reason)).toEqual(['no-systemd']);
    const result = evaluateCheck(vmBackup, outcomesOf({ 'host.backup-jobs': r }), checkCtx());
    expect(result.status).toBe('fail');
    expect(result.evidence[0]?.text).toMatch(/^searched: \/etc\/crontab, \/etc\/cron\.d\/, /);
  });

  describe('a staged host with real times and modes', () => {
    let root = '';
    const stage = async (path: string, content: string, mode = 0o644, hoursAgo?: number) => {
      const abs = join(root, path);
      await mkdir(dirname(abs), { recursive: true });
      await writeFile(abs, content);
      await chmod(abs, mode);
      if (hoursAgo !== undefined) {
        const t = new Date(Date.now() - hoursAgo * 3_600_000);
        await utimes(abs, t, t);
      }
    };
    beforeAll(async () => {
      await requireTool('crontab', 'cron');
      root = await mkdtemp(join(tmpdir(), 'predeploy-backup-'));
      await stage('etc/crontab', fixtureText('crontab/debian12-etc-crontab.txt'));
      await stage('etc/cron.d/orders-backup', fixtureText('crontab/cron.d-orders-backup.txt'));
      await stage('etc/cron.d/group-writable', '0 4 * * * root /opt/order-processing/bin/backup-orders.sh\n', 0o664);
      await stage('etc/cron.daily/db-dump', '#!/bin/sh\npg_dump orders > /var/backups/pg/daily.sql\n', 0o644);
      await stage('opt/order-processing/bin/backup-orders.sh', fixtureText('crontab/backup-orders.sh'), 0o755);
      await stage('var/log/orders-backup.log', 'done\n', 0o644, 5);
      await stage('var/backups/pg/orders.dump', 'x', 0o600, 50);
    });
    afterAll(async () => {
      if (root !== '') await rm(root, { recursive: true, force: true });
    });

    it('finds the jobs, reads their last run from real mtimes, flags what cron will not run', async () => {
      const r = await collectBackupJobs(realContext(), root);
      if (!r.ok) throw new Error(r.detail);
      const bySource = r.value.jobs.map((j) => [j.source, j.line, j.ignored === undefined]);
      expect(bySource).toEqual([
        ['/etc/cron.d/group-writable', 1, false],
        ['/etc/cron.d/orders-backup', 7, true],
        ['/etc/cron.d/orders-backup', 10, true],
        ['/etc/cron.d/orders-backup', 13, true],
        ['/etc/cron.daily', undefined, false],
      ]);
      const nightly = r.value.jobs[1];
      expect(nightly?.lastRun?.from).toBe('/var/log/orders-backup.log');
      expect(nightly?.lastRun?.ageHours).toBeCloseTo(5, 0);
      expect(r.value.jobs[3]?.lastRun?.ageHours).toBeCloseTo(50, 0);
      expect(r.value.jobs[0]?.ignored).toMatch(/group- or other-writable/);
      expect(r.value.jobs[4]?.ignored).toMatch(/not executable/);
      const result = evaluateCheck(vmBackup, outcomesOf({ 'host.backup-jobs': r }), checkCtx());
      // the host side would warn; without the Azure side (Recovery Services) it is never better than unknown
      expect(result.status).toBe('unknown');
      expect(result.unverified.map((u) => u.probe)).toEqual(['azure.vm']);
      expect(result.summary).toMatch(/^3 local backup job\(s\) on the host; newest run 5 h ago; 2 without a run in the last 48 h; 2 never run/);
      expect(JSON.stringify(result)).not.toContain('FAKE');
    });
  });
});

describe('runbooks of the example project', () => {
  it('recognises both example runbooks; recovery-procedure asks for the drill; rollback names its runbook', async () => {
    const ctx = Object.assign(realContext(), { root: EXAMPLE_ROOT });
    const runbooks = await runbooksProbe.collect(ctx);
    if (!runbooks.ok) throw new Error(runbooks.detail);
    expect(runbooks.value.runbooks.map((b) => [b.file, b.kinds])).toEqual([
      ['docs/recovery-runbook.md', ['recovery']],
      ['docs/rollback-runbook.md', ['rollback']],
    ]);
    const attestations = await attestationsProbe.collect(ctx);
    const outcomes = outcomesOf({ 'project.runbooks': runbooks, 'project.attestations': attestations });
    const recovery = evaluateCheck(recoveryProcedure, outcomes, checkCtx());
    expect(recovery.status).toBe('manual');
    expect(recovery.summary).toMatch(/^recovery runbook found \(docs\/recovery-runbook\.md\); needs a person to confirm that a restore drill/);
    const back = evaluateCheck(rollback, outcomes, checkCtx());
    expect(back.status).toBe('manual');
    expect(back.summary).toMatch(/^rollback runbook found: docs\/rollback-runbook\.md; needs a person to confirm/);
  });
});
