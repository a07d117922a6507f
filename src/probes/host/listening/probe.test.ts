import { describe, expect, it } from 'vitest';
import { fakeContext } from '../../../../test/helpers/fake-context.js';
import { hostFixture } from '../../../../test/probes/fixture.js';
import { listeningProbe } from './probe.js';

describe('host.listening probe', () => {
  it('runs `ss -tlnp` with sudo and parses the listeners', async () => {
    const ctx = fakeContext({ exec: { 'ss -tlnp': { stdout: hostFixture('ss/root-mixed-families.txt') } } });
    const r = await listeningProbe.collect(ctx);
    expect(ctx.calls).toEqual([['ss', '-tlnp']]);
    expect(ctx.sudoCalls).toEqual([true]);
    expect(r.ok && r.value.map((s) => s.port)).toEqual([34099, 3306, 2024, 32891, 36885, 8080]);
  });

  it('ss missing → not-installed (iproute2)', async () => {
    expect(await listeningProbe.collect(fakeContext())).toMatchObject({ ok: false, reason: 'not-installed', detail: expect.stringContaining('iproute2') });
  });

  it('unparsable output → failed, not an empty list', async () => {
    const ctx = fakeContext({ exec: { 'ss -tlnp': { stdout: 'LISTEN 0 128 0.0.0.0:gopher 0.0.0.0:*\n' } } });
    expect(await listeningProbe.collect(ctx)).toMatchObject({ ok: false, reason: 'failed' });
  });
});
