/**
 * Parser for `ps -eo pid,user,etime,args` (procps-ng; ps(1), "STANDARD FORMAT SPECIFIERS").
 *
 * ```
 *     PID USER         ELAPSED COMMAND
 *       1 root        01:02:03 /sbin/init
 *    4242 app       2-03:04:05 /usr/bin/node /opt/workflow-api/dist/server.js
 * ```
 * `args` is last so it may contain spaces; when ps writes to a pipe it does not cut it.
 */
import type { ProcessInfo } from '../../../facts/host.js';
import type { ProbeResult } from '../../../engine/types.js';

const ROW = /^\s*(\d+)\s+(\S+)\s+((?:\d+-)?(?:\d+:)?\d+:\d+)\s(.*)$/;

/** Parse the process list. A row it cannot read fails the parse. */
export function parsePsList(text: string): ProbeResult<ProcessInfo[]> {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '');
  const header = lines[0];
  if (header === undefined || !/^\s*PID\s+USER\s+ELAPSED\s+(COMMAND|ARGS)\s*$/.test(header)) {
    return { ok: false, reason: 'failed', detail: `unexpected ps header: ${header?.trim() ?? '(empty)'}` };
  }
  const processes: ProcessInfo[] = [];
  for (const line of lines.slice(1)) {
    const m = ROW.exec(line);
    if (!m) return { ok: false, reason: 'failed', detail: `unexpected ps line: ${line.trim()}` };
    processes.push({ pid: Number(m[1]), user: m[2] ?? '', etime: m[3] ?? '', args: (m[4] ?? '').trim() });
  }
  return { ok: true, value: processes };
}
