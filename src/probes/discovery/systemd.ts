import type { ProbeContext, ProbeResult } from '../../engine/types.js';
import type { SystemdUnitInfo } from '../../facts/discovery.js';
import { execFailure, noSystemd } from '../host/exec-failure.js';
import { C_LOCALE } from '../host/locale.js';
import { DISCOVERY_UNIT_PROPERTIES, parseSystemdUnits } from './systemd-parse.js';

/** The one listing discovery runs: every loaded service unit, the properties that tie it to a project. */
export const SYSTEMD_UNITS_ARGV = ['systemctl', 'show', '*.service', '-p', DISCOVERY_UNIT_PROPERTIES.join(','), '--no-pager'] as const;

/**
 * The loaded service units with their working directory, ExecStart and EnvironmentFile paths.
 * Without systemd (containers) this fails with a detail starting `no systemd:`; discovery then
 * looks at processes instead.
 */
export async function collectSystemdUnits(ctx: ProbeContext): Promise<ProbeResult<SystemdUnitInfo[]>> {
  const r = await ctx.exec(SYSTEMD_UNITS_ARGV, { env: { ...C_LOCALE } });
  const none = noSystemd(r);
  if (none) return none;
  const failure = execFailure(r, { program: 'systemctl', debianPackage: 'systemd' });
  if (failure) return failure;
  return parseSystemdUnits(r.stdout);
}
