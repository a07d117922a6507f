/**
 * Parsers for `fail2ban-client status` and `fail2ban-client status <jail>` (fail2ban 0.11 / 1.0).
 *
 * ```
 * Status
 * |- Number of jail:	3
 * `- Jail list:	nginx-http-auth, nginx-limit-req, sshd
 *
 * Status for the jail: sshd
 * |- Filter
 * |  |- Currently failed:	2
 * |  |- Total failed:	2
 * |  `- File list:	/var/log/auth.log
 * `- Actions
 *    |- Currently banned:	0
 *    |- Total banned:	0
 *    `- Banned IP list:
 * ```
 * The banned addresses are not kept: the counts are what the report needs.
 */
import type { Fail2banJail } from '../../../facts/host.js';
import type { ProbeResult } from '../../../engine/types.js';

/** The jail names from `fail2ban-client status`. */
export function parseFail2banStatus(text: string): ProbeResult<string[]> {
  const line = text.split('\n').find((l) => /Jail list:/.test(l));
  if (line === undefined) {
    return { ok: false, reason: 'failed', detail: `no "Jail list:" in fail2ban-client status output: ${text.trim().split('\n')[0] ?? '(empty)'}` };
  }
  const list = line.replace(/^.*Jail list:/, '');
  return { ok: true, value: list.split(',').map((s) => s.trim()).filter(Boolean) };
}

const COUNTERS: ReadonlyArray<[RegExp, 'currentlyFailed' | 'totalFailed' | 'currentlyBanned' | 'totalBanned']> = [
  [/Currently failed:\s*(\d+)/, 'currentlyFailed'],
  [/Total failed:\s*(\d+)/, 'totalFailed'],
  [/Currently banned:\s*(\d+)/, 'currentlyBanned'],
  [/Total banned:\s*(\d+)/, 'totalBanned'],
];

/** The counters from `fail2ban-client status <jail>`. */
export function parseFail2banJail(name: string, text: string): ProbeResult<Fail2banJail> {
  if (!/Status for the jail:/.test(text)) {
    return { ok: false, reason: 'failed', detail: `unexpected fail2ban-client status ${name} output: ${text.trim().split('\n')[0] ?? '(empty)'}` };
  }
  const jail: Fail2banJail = { name };
  for (const [pattern, key] of COUNTERS) {
    const m = pattern.exec(text);
    if (m) jail[key] = Number(m[1]);
  }
  return { ok: true, value: jail };
}
