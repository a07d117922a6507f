/**
 * Parser for `systemctl show '*.service' -p Id,MainPID,WorkingDirectory,ExecStart,EnvironmentFiles,ActiveState,FragmentPath --no-pager`:
 * one `Key=Value` block per unit, blocks separated by an empty line (systemctl(1), "show").
 *
 * ```
 * Id=workflow-api.service
 * MainPID=1234
 * WorkingDirectory=/data/order-processing/workflow-api
 * ExecStart={ path=/usr/bin/node ; argv[]=/usr/bin/node dist/server.js ; ignore_errors=no ; start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; status=0/0 }
 * EnvironmentFiles=/data/order-processing/.env (ignore_errors=no)
 * ```
 * ExecStart is printed in systemd's `{ path=… ; argv[]=… ; … }` form, one per command; each
 * EnvironmentFile= is its own `EnvironmentFiles=` line (org.freedesktop.systemd1(5)).
 */
import type { ProbeResult } from '../../engine/types.js';
import type { SystemdUnitInfo } from '../../facts/discovery.js';

export const DISCOVERY_UNIT_PROPERTIES = ['Id', 'MainPID', 'WorkingDirectory', 'ExecStart', 'EnvironmentFiles', 'ActiveState', 'FragmentPath'] as const;

/** `argv[]=` of each `{ … }` entry; a bare value (older systemd) as it is. */
function execArgvs(value: string): string[] {
  const argvs = [...value.matchAll(/argv\[\]=([^;]*)/g)].map((m) => (m[1] ?? '').trim()).filter((a) => a !== '');
  if (argvs.length > 0) return argvs;
  const path = /path=([^\s;]+)/.exec(value)?.[1];
  return path !== undefined ? [path] : value.trim() !== '' && !value.startsWith('{') ? [value.trim()] : [];
}

export function parseSystemdUnits(text: string): ProbeResult<SystemdUnitInfo[]> {
  const units: SystemdUnitInfo[] = [];
  let sawId = false;
  for (const block of text.split(/\r?\n\s*\r?\n/)) {
    const unit: SystemdUnitInfo = { id: '', execStart: [], environmentFiles: [], source: '' };
    for (const raw of block.split(/\r?\n/)) {
      const eq = raw.indexOf('=');
      if (eq <= 0) continue;
      const key = raw.slice(0, eq);
      const value = raw.slice(eq + 1).trim();
      if (value === '' || value === 'n/a' || value === '[not set]') continue;
      switch (key) {
        case 'Id':
          unit.id = value;
          sawId = true;
          break;
        case 'MainPID': {
          const n = Number(value);
          if (Number.isInteger(n) && n > 0) unit.mainPid = n;
          break;
        }
        case 'WorkingDirectory':
          // `!/path` and `-/path` are systemd's prefixes (no user switch / ignore missing)
          unit.workingDirectory = value.replace(/^[-!~]+/, '');
          break;
        case 'ExecStart':
          unit.execStart.push(...execArgvs(value));
          break;
        case 'EnvironmentFiles':
          unit.environmentFiles.push(value.replace(/\s+\(ignore_errors=\w+\)$/, '').replace(/^-/, ''));
          break;
        case 'ActiveState':
          unit.activeState = value;
          break;
        case 'FragmentPath':
          unit.fragmentPath = value;
          break;
      }
    }
    if (unit.id === '') continue;
    unit.source = unit.fragmentPath ?? `systemctl show ${unit.id}`;
    units.push(unit);
  }
  if (!sawId && text.trim() !== '') {
    return { ok: false, reason: 'failed', detail: `no Id= line in systemctl show output: ${text.trim().split('\n')[0]?.slice(0, 120) ?? ''}` };
  }
  return { ok: true, value: units };
}
