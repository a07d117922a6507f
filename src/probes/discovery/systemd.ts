import type { ProbeContext, ProbeResult } from '../../engine/types.js';
import type { SystemdUnitInfo } from '../../facts/discovery.js';
import { execFailure, firstLine } from '../host/exec-failure.js';
import { C_LOCALE } from '../host/locale.js';
import { DISCOVERY_UNIT_PROPERTIES, parseSystemdUnits } from './systemd-parse.js';

/** The one listing discovery runs: every loaded service unit, the properties that tie it to a project. */
export const SYSTEMD_UNITS_ARGV = ['systemctl', 'show', '*.service', '-p', DISCOVERY_UNIT_PROPERTIES.join(','), '--no-pager'] as const;

const NO_SYSTEMD = /has not been booted with systemd|Failed to connect to bus|Running in chroot/i;

/**
 * The loaded service units with their working directory, ExecStart and EnvironmentFile paths.
 * Without systemd (containers) this fails with a detail starting `no systemd:`; discovery then
 * looks at processes instead.
 */
export async function collectSystemdUnits(ctx: ProbeContext): Promise<ProbeResult<SystemdUnitInfo[]>> {
  const r = await ctx.exec(SYSTEMD_UNITS_ARGV, { env: { ...C_LOCALE } });
  const said = `${r.stderr}\n${r.stdout}`;
  if (r.spawnError === undefined && !r.timedOut && r.refused === undefined && (NO_SYSTEMD.test(said) || (r.exitCode === 0 && r.stdout.trim() === ''))) {
    const line = said.split('\n').find((l) => NO_SYSTEMD.test(l)) ?? 'systemctl printed nothing';
    return { ok: false, reason: 'failed', detail: `no systemd: ${firstLine(line) ?? line}` };
  }
  const failure = execFailure(r, { program: 'systemctl', debianPackage: 'systemd' });
  if (failure) return failure;
  return parseSystemdUnits(r.stdout);
}
