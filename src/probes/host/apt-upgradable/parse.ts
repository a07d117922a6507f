/**
 * Parser for `apt list --upgradable` (apt 2.x).
 *
 * ```
 * Listing...
 * apt/oldstable-security 2.6.2 amd64 [upgradable from: 2.6.1]
 * openssl/jammy-updates,jammy-security 3.0.2-0ubuntu1.10 amd64 [upgradable from: 3.0.2-0ubuntu1.9]
 * ```
 * `WARNING: apt does not have a stable CLI interface` goes to stderr and is ignored.
 * A package is a security update when any of its suites is a `-security` pocket
 * (`bookworm-security`, `oldstable-security`, `jammy-security`): Debian and Ubuntu publish
 * security fixes only there (https://www.debian.org/security/faq#updates).
 */
import type { AptPackageUpgrade } from '../../../facts/host.js';
import type { ProbeResult } from '../../../engine/types.js';

const LINE = /^(\S+?)\/(\S+)\s+(\S+)\s+(\S+)(?:\s+\[upgradable from:\s*([^\]]+)\])?$/;
/** apt's own chatter on stdout: `Listing...`, `Listing... Done`, `N: ...` notices, `W: ...` warnings */
const NOISE = /^(Listing\.\.\.|N: |W: |WARNING: )/;

/**
 * apt prints `Listing...` on stdout before the packages, with or without a terminal and with no
 * package to list: output without it (empty included) is not "nothing upgradable".
 */
export function parseAptUpgradable(text: string): ProbeResult<AptPackageUpgrade[]> {
  const packages: AptPackageUpgrade[] = [];
  if (!text.split('\n').some((l) => l.trim().startsWith('Listing...'))) {
    return { ok: false, reason: 'failed', detail: `apt list --upgradable printed no "Listing..." line: ${text.trim() === '' ? '(empty output)' : text.trim().split('\n')[0]?.slice(0, 120)}` };
  }
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/\r$/, '').trim();
    if (line === '' || NOISE.test(line)) continue;
    const m = LINE.exec(line);
    if (!m) return { ok: false, reason: 'failed', detail: `unreadable apt list line: ${line}` };
    const [, name = '', suiteText = '', candidate = '', arch = '', installed] = m;
    const suites = suiteText.split(',').filter(Boolean);
    packages.push({
      name,
      suites,
      candidate,
      ...(installed !== undefined ? { installed: installed.trim() } : {}),
      arch,
      security: suites.some((s) => s.endsWith('-security') || s.includes('-security/')),
      raw: line,
    });
  }
  return { ok: true, value: packages };
}
