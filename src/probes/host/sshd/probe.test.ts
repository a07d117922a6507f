import { describe, expect, it } from 'vitest';
import { fakeContext } from '../../../../test/helpers/fake-context.js';
import { hostFixture } from '../../../../test/probes/fixture.js';
import { collectSshd, sshdProbe } from './probe.js';

describe('host.sshd probe', () => {
  it('runs `sshd -T` with sudo and keeps lower-case keywords', async () => {
    const ctx = fakeContext({ exec: { 'sshd -T': { stdout: hostFixture('sshd/debian12-default.txt') } } });
    const r = await sshdProbe.collect(ctx);
    expect(ctx.calls).toEqual([['sshd', '-T']]);
    expect(ctx.sudoCalls).toEqual([true]);
    expect(r.ok && r.value.options['permitrootlogin']).toEqual(['without-password']);
  });

  it('collectSshd(ctx, path) runs `sshd -T -f <path>`', async () => {
    const ctx = fakeContext({ exec: { 'sshd -T -f /tmp/x/sshd_config': { stdout: hostFixture('sshd/root-login-yes.txt') } } });
    const r = await collectSshd(ctx, '/tmp/x/sshd_config');
    expect(ctx.calls).toEqual([['sshd', '-T', '-f', '/tmp/x/sshd_config']]);
    expect(r.ok && r.value.options['permitrootlogin']).toEqual(['yes']);
  });

  it('Debian without /run/sshd → failed with sshd\'s message (not a crash)', async () => {
    const ctx = fakeContext({ exec: { 'sshd -T': { exitCode: 255, stderr: hostFixture('sshd/missing-privsep-dir.stderr.txt') } } });
    expect(await sshdProbe.collect(ctx)).toEqual({
      ok: false,
      reason: 'failed',
      detail: 'sshd (exit 255): Missing privilege separation directory: /run/sshd',
    });
  });

  it('openssh-server missing → not-installed', async () => {
    expect(await sshdProbe.collect(fakeContext())).toMatchObject({ ok: false, reason: 'not-installed', detail: expect.stringContaining('openssh-server') });
  });
});
