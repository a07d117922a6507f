import { describe, expect, it } from 'vitest';
import { hostFixture } from '../../../../test/probes/fixture.js';
import { parseFail2banJail, parseFail2banStatus } from './parse.js';

describe('parseFail2banStatus', () => {
  it('status-three-jails.txt (fail2ban 1.0.2 on this container)', () => {
    expect(parseFail2banStatus(hostFixture('fail2ban/status-three-jails.txt'))).toEqual({
      ok: true,
      value: ['nginx-http-auth', 'nginx-limit-req', 'sshd'],
    });
  });

  it('status-no-jails.txt: a running server with no jail', () => {
    expect(parseFail2banStatus(hostFixture('fail2ban/status-no-jails.txt'))).toEqual({ ok: true, value: [] });
  });

  it('not-running.stderr.txt has no jail list', () => {
    expect(parseFail2banStatus(hostFixture('fail2ban/not-running.stderr.txt'))).toMatchObject({ ok: false, reason: 'failed' });
  });
});

describe('parseFail2banJail', () => {
  it('jail-sshd.txt: failures counted, nothing banned', () => {
    expect(parseFail2banJail('sshd', hostFixture('fail2ban/jail-sshd.txt'))).toEqual({
      ok: true,
      value: { name: 'sshd', currentlyFailed: 2, totalFailed: 2, currentlyBanned: 0, totalBanned: 0 },
    });
  });

  it('jail-nginx-http-auth.txt', () => {
    expect(parseFail2banJail('nginx-http-auth', hostFixture('fail2ban/jail-nginx-http-auth.txt'))).toEqual({
      ok: true,
      value: { name: 'nginx-http-auth', currentlyFailed: 0, totalFailed: 0, currentlyBanned: 0, totalBanned: 0 },
    });
  });

  it('jail-nginx-limit-req.txt', () => {
    expect(parseFail2banJail('nginx-limit-req', hostFixture('fail2ban/jail-nginx-limit-req.txt'))).toMatchObject({ ok: true, value: { totalBanned: 0 } });
  });

  it('jail-missing.stderr.txt: "does not exist" is not a jail status', () => {
    expect(parseFail2banJail('nosuchjail', hostFixture('fail2ban/jail-missing.stderr.txt'))).toMatchObject({ ok: false, reason: 'failed' });
  });
});
