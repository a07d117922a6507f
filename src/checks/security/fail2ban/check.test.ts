import { describe, expect, it } from 'vitest';
import { ORDER_PROCESSING_PROFILE } from '../../../config/profile.js';
import { evaluateCheck, outcomesOf } from '../../../engine/evaluate.js';
import type { ProbeResult } from '../../../engine/types.js';
import type { Fail2banJail, Fail2banStatus } from '../../../facts/host.js';
import { check } from './check.js';

const now = new Date('2026-11-26T00:00:00Z');
const run = (o: ProbeResult<Fail2banStatus>) => evaluateCheck(check, outcomesOf({ 'host.fail2ban': o }), { config: ORDER_PROCESSING_PROFILE, now });
const jail = (name: string, banned = 0, total = 0): Fail2banJail => ({ name, currentlyFailed: 0, totalFailed: 3, currentlyBanned: banned, totalBanned: total });
const running = (...jails: Fail2banJail[]): ProbeResult<Fail2banStatus> => ({ ok: true, value: { running: true, jails } });
const SOCKET = 'Failed to access socket path: /var/run/fail2ban/fail2ban.sock. Is fail2ban running?';
const DOWN: ProbeResult<Fail2banStatus> = { ok: true, value: { running: false, jails: [], detail: SOCKET } };

describe('security.fail2ban', () => {
  it.each([
    ['sshd and nginx-limit-req', running(jail('sshd', 2, 40), jail('nginx-limit-req')), 'pass', 'sshd: 2 banned now, 40 in total, 0 failing'],
    ['installed, server down', DOWN, 'fail', SOCKET],
    ['running without the sshd jail', running(jail('nginx-http-auth')), 'fail', 'missing: sshd'],
    ['running with no jail at all', running(), 'fail', 'Jail list: (none)'],
    ['sshd only, no nginx jail', running(jail('sshd')), 'warn', 'sshd: 0 banned now, 0 in total, 0 failing'],
    ['jail counts unreadable', running({ name: 'sshd', detail: 'fail2ban-client (exit 255): NOK' }, jail('nginx-botsearch')), 'pass', 'sshd: counts unknown (fail2ban-client (exit 255): NOK)'],
  ] as const)('%s → %s', (_name, outcome, status, evidence) => {
    const r = run(outcome);
    expect(r.status).toBe(status);
    expect(r.evidence.map((e) => e.text)).toContain(evidence);
  });

  it('pass summary names the jails and the ban counts', () => {
    expect(run(running(jail('sshd', 2, 40), jail('nginx-limit-req', 1, 1))).summary).toBe(
      'fail2ban running with 2 jail(s): sshd, nginx-limit-req; 3 address(es) banned now, 41 in total',
    );
  });

  it('a local nginx-* jail counts as an nginx jail', () => {
    expect(run(running(jail('sshd'), jail('nginx-4xx'))).status).toBe('pass');
  });

  it('required jails come from config.host.requiredJails', () => {
    const config = { ...ORDER_PROCESSING_PROFILE, host: { ...ORDER_PROCESSING_PROFILE.host, requiredJails: ['sshd', 'recidive'] } };
    const r = evaluateCheck(check, outcomesOf({ 'host.fail2ban': running(jail('sshd'), jail('nginx-limit-req')) }), { config, now });
    expect(r.status).toBe('fail');
    expect(r.summary).toBe('required jail(s) not enabled: recidive');
  });

  it('fail2ban not installed → unknown', () => {
    expect(run({ ok: false, reason: 'not-installed', detail: 'fail2ban-client not found (install the Debian/Ubuntu package fail2ban)' }).status).toBe('unknown');
  });
});
