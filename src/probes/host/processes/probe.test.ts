import { describe, expect, it } from 'vitest';
import { fakeContext } from '../../../../test/helpers/fake-context.js';
import { hostFixture } from '../../../../test/probes/fixture.js';
import { processesProbe } from './probe.js';

describe('host.processes probe', () => {
  it('runs ps -eo pid,user,etime,args without sudo', async () => {
    const ctx = fakeContext({ exec: { 'ps -eo pid,user,etime,args': { stdout: hostFixture('ps/two-of-three-services.txt') } } });
    const r = await processesProbe.collect(ctx);
    expect(ctx.calls).toEqual([['ps', '-eo', 'pid,user,etime,args']]);
    expect(ctx.sudoCalls).toEqual([false]);
    expect(r.ok && r.value.map((p) => p.pid)).toEqual([1, 2, 3, 5, 18]);
  });

  it('ps missing → not-installed (procps)', async () => {
    expect(await processesProbe.collect(fakeContext())).toMatchObject({ ok: false, reason: 'not-installed', detail: expect.stringContaining('procps') });
  });
});
