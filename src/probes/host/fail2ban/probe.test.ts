import { describe, expect, it } from 'vitest';
import { fakeContext } from '../../../../test/helpers/fake-context.js';
import { hostFixture } from '../../../../test/probes/fixture.js';
import { collectFail2ban, fail2banProbe } from './probe.js';

const STATUS = 'fail2ban-client status';

describe('host.fail2ban probe', () => {
  it('asks the server for its jails, then each jail (with sudo)', async () => {
    const ctx = fakeContext({
      exec: {
        [STATUS]: { stdout: hostFixture('fail2ban/status-three-jails.txt') },
        [`${STATUS} sshd`]: { stdout: hostFixture('fail2ban/jail-sshd.txt') },
        [`${STATUS} nginx-http-auth`]: { stdout: hostFixture('fail2ban/jail-nginx-http-auth.txt') },
        [`${STATUS} nginx-limit-req`]: { stdout: hostFixture('fail2ban/jail-nginx-limit-req.txt') },
      },
    });
    const r = await fail2banProbe.collect(ctx);
    expect(ctx.calls[0]).toEqual(['fail2ban-client', 'status']);
    expect(ctx.calls.slice(1).map((c) => c[2]).sort()).toEqual(['nginx-http-auth', 'nginx-limit-req', 'sshd']);
    expect(ctx.sudoCalls.every(Boolean)).toBe(true);
    expect(r.ok && r.value.running).toBe(true);
    expect(r.ok && r.value.jails.find((j) => j.name === 'sshd')).toEqual({ name: 'sshd', currentlyFailed: 2, totalFailed: 2, currentlyBanned: 0, totalBanned: 0 });
  });

  it('installed but the server is down → running: false (a fact, not unknown)', async () => {
    const ctx = fakeContext({ exec: { [STATUS]: { exitCode: 255, stderr: hostFixture('fail2ban/not-running.stderr.txt') } } });
    expect(await fail2banProbe.collect(ctx)).toEqual({
      ok: true,
      value: { running: false, jails: [], detail: 'Failed to access socket path: /var/run/fail2ban/fail2ban.sock. Is fail2ban running?' },
    });
  });

  it('not installed → not-installed', async () => {
    expect(await fail2banProbe.collect(fakeContext())).toMatchObject({ ok: false, reason: 'not-installed', detail: expect.stringContaining('fail2ban') });
  });

  it('a jail whose status fails is kept with its counters unknown', async () => {
    const ctx = fakeContext({
      exec: {
        [STATUS]: { stdout: 'Status\n|- Number of jail:\t1\n`- Jail list:\tsshd\n' },
        [`${STATUS} sshd`]: { exitCode: 255, stderr: hostFixture('fail2ban/jail-missing.stderr.txt') },
      },
    });
    const r = await fail2banProbe.collect(ctx);
    expect(r.ok && r.value.jails).toEqual([{ name: 'sshd', detail: expect.stringContaining('fail2ban-client (exit 255)') }]);
  });

  it('root-only socket → permission', async () => {
    const ctx = fakeContext({
      exec: { [STATUS]: { exitCode: 255, stderr: 'ERROR   Permission denied to socket: /var/run/fail2ban/fail2ban.sock, (you must be root)\n' } },
    });
    expect(await fail2banProbe.collect(ctx)).toMatchObject({ ok: false, reason: 'permission' });
  });

  it('collectFail2ban(ctx, socket) asks that server with -s, for the list and for each jail', async () => {
    const sock = '/tmp/predeploy-f2b/f2b.sock';
    const ctx = fakeContext({
      exec: {
        [`fail2ban-client -s ${sock} status`]: { stdout: 'Status\n|- Number of jail:\t1\n`- Jail list:\tsshd\n' },
        [`fail2ban-client -s ${sock} status sshd`]: { stdout: hostFixture('fail2ban/jail-sshd.txt') },
      },
    });
    const r = await collectFail2ban(ctx, sock);
    expect(ctx.calls).toEqual([
      ['fail2ban-client', '-s', sock, 'status'],
      ['fail2ban-client', '-s', sock, 'status', 'sshd'],
    ]);
    expect(r).toMatchObject({ ok: true, value: { running: true, jails: [{ name: 'sshd', totalFailed: 2 }] } });
  });
});
