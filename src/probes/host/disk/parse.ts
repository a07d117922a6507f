/**
 * Parser for `df -PT` (POSIX format with the type column; also plain `df` and `df -P`):
 *
 * ```
 * Filesystem     Type     1024-blocks     Used Available Capacity Mounted on
 * /dev/sda1      ext4        30298176 27512832   2768960      91% /
 * /dev/loop0     squashfs       55936    55936         0     100% /snap/core18/1223
 * ```
 * Columns are split from the right of the file system name, so long names that push the
 * columns over (`/dev/mapper/VolGroup00-LogVol00 ext3 ...`) and mount points with spaces read
 * correctly. Older df without -P breaks a long name onto its own line; the next line is joined.
 */
import type { DiskMount } from '../../../facts/host.js';
import type { ProbeResult } from '../../../engine/types.js';

const WITH_TYPE = /^(.+?)\s+(\S+)\s+(\d+)\s+(\d+)\s+(-?\d+)\s+(\d+%|-)\s+(.+)$/;
const WITHOUT_TYPE = /^(.+?)\s+(\d+)\s+(\d+)\s+(-?\d+)\s+(\d+%|-)\s+(.+)$/;

/** Parse df output. A header other than df's, or a row it cannot read, fails the parse. */
export function parseDf(text: string): ProbeResult<DiskMount[]> {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, '').trimEnd()).filter((l) => l.trim() !== '');
  const header = lines[0] ?? '';
  if (!/^Filesystem\s/.test(header)) return { ok: false, reason: 'failed', detail: `unexpected df header: ${header === '' ? '(empty)' : header}` };
  const hasType = /^Filesystem\s+Type\s/.test(header);
  if (!/\s(1024|1K)-blocks\s/.test(header)) {
    return { ok: false, reason: 'failed', detail: `df sizes are not in 1024-byte blocks: ${header}` };
  }
  const mounts: DiskMount[] = [];
  for (let i = 1; i < lines.length; i++) {
    let line = lines[i] ?? '';
    // a long name alone on its line, the numbers on the next (df without -P)
    if (!/\s/.test(line.trim()) && i + 1 < lines.length && /^\s/.test(lines[i + 1] ?? '')) line = `${line} ${(lines[++i] ?? '').trim()}`;
    const m = (hasType ? WITH_TYPE : WITHOUT_TYPE).exec(line);
    if (!m) return { ok: false, reason: 'failed', detail: `unexpected df line: ${line}` };
    const f = hasType ? m.slice(1) : [m[1], undefined, ...m.slice(2)];
    const [filesystem = '', type, size = '0', used = '0', available = '0', capacity = '-', mountedOn = ''] = f;
    mounts.push({
      filesystem,
      ...(type !== undefined ? { type } : {}),
      sizeKb: Number(size),
      usedKb: Number(used),
      availableKb: Number(available),
      ...(capacity === '-' ? {} : { usePercent: Number(capacity.slice(0, -1)) }),
      mountedOn,
    });
  }
  return { ok: true, value: mounts };
}
