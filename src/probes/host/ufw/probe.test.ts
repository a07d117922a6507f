import { describe, expect, it } from 'vitest';
import { fakeContext } from '../../../../test/helpers/fake-context.js';
import { hostFixture } from '../../../../test/probes/fixture.js';
import { ufwProbe } from './probe.js';

const ARGV = 'ufw status verbose';

describe('host.ufw probe', () => {
  it('runs `ufw status verbose` with sudo and parses it', async () => {
    const ctx = fakeContext({ exec: { [ARGV]: { stdout: hostFixture('ufw/active-deny-in.txt') } } });
    const r = await ufwProbe.collect(ctx);
    expect(ctx.calls).toEqual([['ufw', 'status', 'verbose']]);
    expect(ctx.sudoCalls).toEqual([true]);
    expect(r.ok && r.value.active).toBe(true);
    expect(r.ok && r.value.rules).toHaveLength(4);
  });

  it('inactive firewall is a value, not a failure', async () => {
    const r = await ufwProbe.collect(fakeContext({ exec: { [ARGV]: { stdout: hostFixture('ufw/inactive.txt') } } }));
    expect(r).toEqual({ ok: true, value: { active: false, statusLine: 'Status: inactive', rules: [] } });
  });

  it('ufw not installed → not-installed', async () => {
    expect(await ufwProbe.collect(fakeContext())).toMatchObject({ ok: false, reason: 'not-installed' });
  });

  it('run without root → permission, quoting ufw', async () => {
    const ctx = fakeContext({ exec: { [ARGV]: { exitCode: 1, stderr: hostFixture('ufw/not-root.stderr.txt') } } });
    expect(await ufwProbe.collect(ctx)).toEqual({
      ok: false,
      reason: 'permission',
      detail: 'ufw (exit 1): ERROR: You need to be root to run this script',
      cause: { kind: 'permission', what: 'ufw' },
    });
  });

  it('timeout → timeout', async () => {
    const r = await ufwProbe.collect(fakeContext({ exec: { [ARGV]: { timedOut: true, exitCode: null } } }));
    expect(r).toMatchObject({ ok: false, reason: 'timeout' });
  });
});
