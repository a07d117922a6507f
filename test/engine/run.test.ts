import { describe, expect, it } from 'vitest';
import { ORDER_PROCESSING_PROFILE } from '../../src/config/profile.js';
import { defineCheck, defineProbe } from '../../src/engine/define.js';
import { runAssessment, selectChecks } from '../../src/engine/run.js';
import type { Check, CheckMeta, RawExecResult, Target, TargetExecOptions } from '../../src/engine/types.js';
import { Redactor } from '../../src/safety/redactor.js';

/** A target whose `ufw` takes 50 ms and counts how many commands run at once. */
class SlowTarget implements Target {
  readonly name = 'slow';
  active = 0;
  maxActive = 0;
  calls: string[] = [];
  async exec(argv: readonly string[], _o: TargetExecOptions): Promise<RawExecResult> {
    this.calls.push(argv.join(' '));
    this.active += 1;
    this.maxActive = Math.max(this.maxActive, this.active);
    await new Promise((r) => setTimeout(r, 50));
    this.active -= 1;
    return { exitCode: 0, signal: null, stdout: 'Status: inactive\n', stderr: '', timedOut: false, truncated: false, durationMs: 50 };
  }
  async readFile() {
    return null;
  }
  async stat() {
    return null;
  }
  async readDir() {
    return null;
  }
}

const meta = (id: string): CheckMeta => ({
  id,
  section: 'security',
  title: `${id} holds`,
  severity: 'high',
  effort: { size: 'S', hours: [1, 1] },
  remediation: { text: 'fix it', url: 'https://example.invalid' },
  runs: 'test',
});

let collected = 0;
const ufw = defineProbe({
  id: 'host.ufw',
  describe: 'test ufw',
  async collect(ctx) {
    collected += 1;
    const r = await ctx.exec(['ufw', 'status', 'verbose']);
    return { ok: true, value: { active: false, statusLine: r.stdout.trim(), rules: [] } };
  },
});
// Depends on host.ufw through ctx.probe: must not run it a second time.
const sshd = defineProbe({
  id: 'host.sshd',
  describe: 'test sshd',
  async collect(ctx) {
    const dep = await ctx.probe('host.ufw');
    await Promise.all([['ufw', 'status'], ['ufw', 'status', 'numbered'], ['ss', '-tlnp'], ['ss', '-tulnp'], ['id', '-u'], ['hostname']].map((argv) => ctx.exec(argv)));
    // the same command again (another probe would do the same): answered from the first run
    await ctx.exec(['ufw', 'status', 'verbose']);
    return dep.ok ? { ok: true, value: { options: {} } } : { ok: false, reason: 'failed', detail: 'dep' };
  },
});
const failing = defineProbe({
  id: 'host.fail2ban',
  describe: 'throws',
  async collect() {
    throw new Error('boom');
  },
});

const checkOf = (id: string, requires: Check['requires']): Check =>
  defineCheck({ meta: meta(id), requires, evaluate: () => ({ status: 'pass', summary: 'ok', evidence: [] }) });

const base = {
  config: ORDER_PROCESSING_PROFILE,
  configSource: null,
  root: '/nonexistent',
  only: [],
  skip: [],
  offline: true,
  refreshApt: false,
  timeoutMs: 5000,
  isRoot: true,
  signal: new AbortController().signal,
};

describe('runAssessment', () => {
  it('runs each probe once, bounds commands in flight, and turns a thrown probe into unknown', async () => {
    collected = 0;
    const target = new SlowTarget();
    const checks = [checkOf('security.a', ['host.ufw']), checkOf('security.b', ['host.ufw', 'host.sshd']), checkOf('security.c', ['host.fail2ban'])];
    const run = await runAssessment({
      ...base,
      target,
      checks,
      probes: { 'host.ufw': ufw, 'host.sshd': sshd, 'host.fail2ban': failing },
      concurrency: 2,
      redactor: new Redactor(),
    });
    expect(collected).toBe(1);
    // asked for by two probes, run once, and both cite the one log entry
    expect(target.calls.filter((c) => c === 'ufw status verbose')).toHaveLength(1);
    const seq = run.log.entries().find((e) => e.action === 'ufw status verbose')?.seq;
    expect(run.outcomes.get('host.ufw')?.refs).toContain(seq);
    expect(run.outcomes.get('host.sshd')?.refs).toContain(seq);
    expect(target.maxActive).toBe(2);
    expect(run.results.map((r) => r.status)).toEqual(['pass', 'pass', 'unknown']);
    expect(run.results[2]?.summary).toContain('probe error: boom');
    // evidence cites the probe's log entries
    expect(run.results[0]?.evidence[0]?.refs).toEqual([run.log.entries().find((e) => e.action === 'ufw status verbose')?.seq]);
  });

  it('reports a probe that is not registered as unknown, never as pass', async () => {
    const run = await runAssessment({
      ...base,
      target: new SlowTarget(),
      checks: [checkOf('security.x', ['host.listening'])],
      probes: {},
      concurrency: 4,
      redactor: new Redactor(),
    });
    expect(run.results[0]?.status).toBe('unknown');
  });

  it('selects by section and by id, and skip wins', () => {
    const checks = [checkOf('security.a', []), { ...checkOf('golive.b', []), meta: { ...meta('golive.b'), section: 'golive' as const } }];
    expect(selectChecks(checks, ['golive'], []).map((c) => c.meta.id)).toEqual(['golive.b']);
    expect(selectChecks(checks, ['security.a', 'golive'], ['golive.b']).map((c) => c.meta.id)).toEqual(['security.a']);
  });
});
