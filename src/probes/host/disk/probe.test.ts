import { describe, expect, it } from 'vitest';
import { fakeContext } from '../../../../test/helpers/fake-context.js';
import { testFixture } from '../../../../test/probes/fixture.js';
import { diskProbe } from './probe.js';

describe('host.disk probe', () => {
  it('runs df -PT without sudo', async () => {
    const ctx = fakeContext({ exec: { 'df -PT': { stdout: testFixture('df/azure-vm-root-93-hand-written.txt') } } });
    const r = await diskProbe.collect(ctx);
    expect(ctx.calls).toEqual([['df', '-PT']]);
    expect(ctx.sudoCalls).toEqual([false]);
    expect(r.ok && r.value.mounts.find((m) => m.mountedOn === '/')?.usePercent).toBe(93);
  });

  it('exit 1 with some mounts unreadable: keeps the rows, notes the complaints', async () => {
    const ctx = fakeContext({ exec: { 'df -PT': { exitCode: 1, stdout: testFixture('df/debian12-container.txt'), stderr: 'df: /run/user/1000/doc: Permission denied\n' } } });
    expect(await diskProbe.collect(ctx)).toMatchObject({ ok: true, value: { warnings: ['df: /run/user/1000/doc: Permission denied'] } });
  });

  it('exit 1 with nothing readable → the failure', async () => {
    const ctx = fakeContext({ exec: { 'df -PT': { exitCode: 1, stderr: "df: invalid option -- 'T'\n" } } });
    expect(await diskProbe.collect(ctx)).toMatchObject({ ok: false, reason: 'failed', detail: "df (exit 1): df: invalid option -- 'T'" });
  });

  it('timeout → timeout (a hung network mount)', async () => {
    expect(await diskProbe.collect(fakeContext({ exec: { 'df -PT': { timedOut: true, exitCode: null } } }))).toMatchObject({ ok: false, reason: 'timeout' });
  });
});
