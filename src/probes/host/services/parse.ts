/**
 * Parser for `systemctl show <unit> -p LoadState,ActiveState,...`: one `Key=Value` line per
 * property (systemctl(1), "show": "intended to be used whenever computer-parsable output is
 * required"; https://www.freedesktop.org/software/systemd/man/latest/systemctl.html#show%20PATTERN%E2%80%A6%7CJOB%E2%80%A6).
 *
 * ```
 * Restart=on-failure
 * RestartUSec=5s
 * NRestarts=0
 * ExecMainStartTimestamp=Tue 2026-11-24 09:12:01 UTC
 * LoadState=loaded
 * ActiveState=active
 * SubState=running
 * FragmentPath=/etc/systemd/system/workflow-api.service
 * UnitFileState=enabled
 * ```
 * systemctl prints the properties in its own order, not the order asked for; an empty value
 * (`UnitFileState=` for a unit without a file) reads as "not set".
 */
import type { ServiceUnitStatus } from '../../../facts/host.js';
import type { ProbeResult } from '../../../engine/types.js';

/** The properties the probe asks for, in the `-p` list. */
export const SERVICE_PROPERTIES = [
  'LoadState',
  'ActiveState',
  'SubState',
  'UnitFileState',
  'Restart',
  'RestartUSec',
  'NRestarts',
  'ExecMainStartTimestamp',
  'FragmentPath',
] as const;

const FIELDS: Readonly<Record<string, keyof ServiceUnitStatus>> = {
  LoadState: 'loadState',
  ActiveState: 'activeState',
  SubState: 'subState',
  UnitFileState: 'unitFileState',
  Restart: 'restart',
  RestartUSec: 'restartUSec',
  ExecMainStartTimestamp: 'execMainStartTimestamp',
  FragmentPath: 'fragmentPath',
};

/** Parse the output for one unit. Output without a `LoadState=` line fails the parse. */
export function parseSystemctlShow(name: string, text: string): ProbeResult<ServiceUnitStatus> {
  const unit: ServiceUnitStatus = { name };
  let sawLoadState = false;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1).trim();
    if (key === 'LoadState') sawLoadState = true;
    // systemd prints `n/a` for a timestamp that never happened (older versions print nothing)
    if (value === '' || value === 'n/a') continue;
    if (key === 'NRestarts') {
      const n = Number(value);
      if (Number.isInteger(n) && n >= 0) unit.nRestarts = n;
      continue;
    }
    const field = FIELDS[key];
    if (field !== undefined && field !== 'name' && field !== 'nRestarts' && field !== 'detail') unit[field] = value;
  }
  if (!sawLoadState) {
    const first = text.trim().split('\n')[0] ?? '';
    return { ok: false, reason: 'failed', detail: `no LoadState= line in systemctl show ${name} output: ${first === '' ? '(empty)' : first}` };
  }
  return { ok: true, value: unit };
}
