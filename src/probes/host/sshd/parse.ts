/**
 * Parser for `sshd -T` (OpenSSH "extended test mode": the effective configuration, one
 * `keyword value` per line, keywords in lower case). Some keywords legitimately repeat
 * (`listenaddress`, `hostkey`, `port`, `acceptenv`, `subsystem`), so every line is kept.
 * See https://man.openbsd.org/sshd#T
 */
import type { SshdEffectiveConfig } from '../../../facts/host.js';
import type { ProbeResult } from '../../../engine/types.js';

export function parseSshdT(text: string): ProbeResult<SshdEffectiveConfig> {
  const options: Record<string, string[]> = {};
  let count = 0;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/\r$/, '').trim();
    if (line === '') continue;
    const m = /^(\S+)(?:\s+(.*))?$/.exec(line);
    // sshd -T prints keywords in lower case; anything else is not configuration (an error message).
    const keyword = m?.[1];
    if (keyword === undefined || !/^[a-z0-9]+$/.test(keyword)) {
      return { ok: false, reason: 'failed', detail: `unreadable sshd -T line: ${line}` };
    }
    (options[keyword] ??= []).push(m?.[2] ?? '');
    count += 1;
  }
  if (count === 0) return { ok: false, reason: 'failed', detail: 'sshd -T printed no configuration' };
  return { ok: true, value: { options } };
}
