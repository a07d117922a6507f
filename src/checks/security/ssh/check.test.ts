import { describe, expect, it } from 'vitest';
import { ORDER_PROCESSING_PROFILE } from '../../../config/profile.js';
import { evaluateCheck, outcomesOf } from '../../../engine/evaluate.js';
import type { ProbeResult } from '../../../engine/types.js';
import type { SshdEffectiveConfig } from '../../../facts/host.js';
import { parseSshdT } from '../../../probes/host/sshd/parse.js';
import { hostFixture } from '../../../../test/probes/fixture.js';
import { check } from './check.js';

const now = new Date('2026-11-26T00:00:00Z');
const run = (outcome: ProbeResult<SshdEffectiveConfig>) => evaluateCheck(check, outcomesOf({ 'host.sshd': outcome }), { config: ORDER_PROCESSING_PROFILE, now });
const fixture = (file: string) => parseSshdT(hostFixture(`sshd/${file}`));

const HARDENED: Record<string, string> = {
  permitrootlogin: 'no',
  passwordauthentication: 'no',
  kbdinteractiveauthentication: 'no',
  usepam: 'yes',
  pubkeyauthentication: 'yes',
  permitemptypasswords: 'no',
  maxauthtries: '3',
  x11forwarding: 'no',
  allowgroups: 'sshusers',
};
const sshd = (over: Record<string, string> = {}): ProbeResult<SshdEffectiveConfig> => ({
  ok: true,
  value: { options: Object.fromEntries(Object.entries({ ...HARDENED, ...over }).map(([k, v]) => [k, [v]])) },
});

describe('security.ssh', () => {
  it.each([
    ['hardened', sshd(), 'pass', ['allowgroups sshusers']],
    ['root-login-yes.txt (jc)', fixture('root-login-yes.txt'), 'fail', ['permitrootlogin yes', 'passwordauthentication yes', 'maxauthtries 6', 'x11forwarding yes']],
    ['debian12-default.txt', fixture('debian12-default.txt'), 'fail', ['permitrootlogin without-password', 'passwordauthentication yes']],
    ['root by key only', sshd({ permitrootlogin: 'prohibit-password' }), 'warn', ['permitrootlogin prohibit-password']],
    ['too many auth tries', sshd({ maxauthtries: '6' }), 'warn', ['maxauthtries 6']],
    ['x11 forwarding', sshd({ x11forwarding: 'yes' }), 'warn', ['x11forwarding yes']],
    ['keyboard-interactive with PAM', sshd({ kbdinteractiveauthentication: 'yes' }), 'fail', ['kbdinteractiveauthentication yes (with usepam yes: password prompts)']],
    ['empty passwords', sshd({ permitemptypasswords: 'yes' }), 'fail', ['permitemptypasswords yes']],
    ['no public keys', sshd({ pubkeyauthentication: 'no' }), 'fail', ['pubkeyauthentication no']],
  ] as const)('%s → %s', (_name, outcome, status, evidence) => {
    const r = run(outcome);
    expect(r.status).toBe(status);
    for (const e of evidence) expect(r.evidence.map((x) => x.text)).toContain(e);
  });

  it('old OpenSSH: challengeresponseauthentication yes counts like kbdinteractiveauthentication', () => {
    const { kbdinteractiveauthentication: _drop, ...old } = HARDENED;
    const outcome: ProbeResult<SshdEffectiveConfig> = {
      ok: true,
      value: { options: Object.fromEntries(Object.entries({ ...old, challengeresponseauthentication: 'yes' }).map(([k, v]) => [k, [v]])) },
    };
    expect(run(outcome).status).toBe('fail');
  });

  it('no allowusers/allowgroups is a note that does not change the status', () => {
    const r = run(sshd({ allowgroups: '' }));
    expect(r.status).toBe('pass');
    expect(r.evidence.map((e) => e.text)).toContain('note (low): no allowusers/allowgroups: every local account may try to log in');
  });

  it('summary names the failing options', () => {
    expect(run(fixture('root-login-yes.txt')).summary).toBe(
      'sshd fails: permitrootlogin yes, passwordauthentication yes; weak: maxauthtries 6, x11forwarding yes',
    );
  });

  it('probe failed → unknown with sshd\'s message', () => {
    const r = run({ ok: false, reason: 'failed', detail: 'sshd (exit 255): Missing privilege separation directory: /run/sshd' });
    expect(r.status).toBe('unknown');
    expect(r.summary).toContain('/run/sshd');
  });
});
