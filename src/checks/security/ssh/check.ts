import { defineCheck } from '../../../engine/define.js';
import type { Evidence } from '../../../engine/types.js';
import { summaries } from '../../lib/key-facts.js';

type Grade = 'pass' | 'warn' | 'fail';
const RANK: Record<Grade, number> = { pass: 0, warn: 1, fail: 2 };

interface Part {
  grade: Grade;
  /** `permitrootlogin yes`, as sshd -T prints it */
  text: string;
}

/**
 * Grades the effective sshd configuration (`sshd -T`, keywords per https://man.openbsd.org/sshd_config)
 * against the usual hardening baseline (CIS Ubuntu benchmark, section "Configure SSH Server"):
 * no root login, keys only, no empty passwords, few auth tries, no X11 forwarding.
 * The status is the worst of the parts.
 */
export const check = defineCheck({
  meta: {
    id: 'security.ssh',
    section: 'security',
    title: 'SSH refuses root and password logins and accepts keys only',
    severity: 'critical',
    effort: { size: 'S', hours: [0.5, 1] },
    remediation: {
      text:
        'In /etc/ssh/sshd_config.d/99-hardening.conf set PermitRootLogin no, PasswordAuthentication no, KbdInteractiveAuthentication no, ' +
        'PubkeyAuthentication yes, PermitEmptyPasswords no, MaxAuthTries 4, X11Forwarding no and AllowGroups <ssh-group>; ' +
        'keep a second session open while you test, check the syntax, then reload.',
      command: 'sudo sshd -t && sudo systemctl reload ssh',
      url: 'https://man.openbsd.org/sshd_config',
    },
    runs: 'sudo -n sshd -T',
  },
  requires: ['host.sshd'],
  keyFacts: summaries('host.sshd'),
  evaluate(facts) {
    const { options } = facts.need('host.sshd');
    const get = (k: string): string | undefined => options[k]?.[0]?.toLowerCase();
    const parts: Part[] = [];
    const grade = (key: string, value: string | undefined, g: Grade, extra = ''): void => {
      parts.push({ grade: g, text: `${key} ${value ?? '(not reported)'}${extra}` });
    };

    const root = get('permitrootlogin');
    if (root === 'no') grade('permitrootlogin', root, 'pass');
    else if (root === 'yes') grade('permitrootlogin', root, 'fail');
    // prohibit-password (alias without-password; also the compiled-in default when the keyword is
    // missing) and forced-commands-only still let root in with a key.
    else grade('permitrootlogin', root, 'warn');

    const password = get('passwordauthentication');
    grade('passwordauthentication', password, password === 'no' ? 'pass' : 'fail');

    // OpenSSH 8.7 renamed ChallengeResponseAuthentication to KbdInteractiveAuthentication; with
    // UsePAM yes it is another way to type a password.
    const kbdKey = options['kbdinteractiveauthentication'] ? 'kbdinteractiveauthentication' : 'challengeresponseauthentication';
    const kbd = get(kbdKey);
    if (kbd !== undefined) {
      grade(kbdKey, kbd, kbd === 'yes' ? 'fail' : 'pass', kbd === 'yes' && get('usepam') === 'yes' ? ' (with usepam yes: password prompts)' : '');
    }

    const pubkey = get('pubkeyauthentication');
    grade('pubkeyauthentication', pubkey, pubkey === 'no' ? 'fail' : 'pass');

    const empty = get('permitemptypasswords');
    grade('permitemptypasswords', empty, empty === 'yes' ? 'fail' : 'pass');

    const tries = Number(get('maxauthtries'));
    if (Number.isFinite(tries)) grade('maxauthtries', String(tries), tries > 4 ? 'warn' : 'pass');

    const x11 = get('x11forwarding');
    grade('x11forwarding', x11, x11 === 'yes' ? 'warn' : 'pass');

    const worst = parts.reduce<Grade>((w, p) => (RANK[p.grade] > RANK[w] ? p.grade : w), 'pass');
    const bad = parts.filter((p) => p.grade !== 'pass');
    const evidence: Evidence[] = (worst === 'pass' ? parts : bad).map((p) => ({ text: p.text }));

    // Low-impact note, not graded: without AllowUsers/AllowGroups any account with a key may log in.
    const restricted = ['allowusers', 'allowgroups'].filter((k) => (options[k] ?? []).some((v) => v.trim() !== ''));
    if (restricted.length === 0) evidence.push({ text: 'note (low): no allowusers/allowgroups: every local account may try to log in' });
    else evidence.push({ text: restricted.map((k) => `${k} ${(options[k] ?? []).join(' ')}`).join('; ') });

    if (worst === 'pass') return { status: 'pass', summary: 'root login off, keys only, hardening options set', evidence };
    const failing = bad.filter((p) => p.grade === 'fail').map((p) => p.text);
    const warning = bad.filter((p) => p.grade === 'warn').map((p) => p.text);
    const summary = [failing.length > 0 ? `fails: ${failing.join(', ')}` : '', warning.length > 0 ? `weak: ${warning.join(', ')}` : '']
      .filter(Boolean)
      .join('; ');
    return { status: worst, summary: `sshd ${summary}`, evidence };
  },
});
