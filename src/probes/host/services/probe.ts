import { defineProbe } from '../../../engine/define.js';
import type { ProbeResult } from '../../../engine/types.js';
import type { ServicesStatus, ServiceUnitStatus } from '../../../facts/host.js';
import { execFailure, noSystemd } from '../exec-failure.js';
import { C_LOCALE } from '../locale.js';
import { parseSystemctlShow, SERVICE_PROPERTIES } from './parse.js';

const PROGRAM = { program: 'systemctl', debianPackage: 'systemd' };

/** `systemctl show <unit> -p <properties> --no-pager` (no root needed: show reads the manager's state). */
export function systemctlShowArgv(unit: string): string[] {
  return ['systemctl', 'show', unit, '-p', SERVICE_PROPERTIES.join(','), '--no-pager'];
}

/**
 * The state of each of config.services as systemd sees it. Without systemd (this probe's
 * `failed` with a detail starting `no systemd:`) the unit state cannot be known; the
 * infra.services check then shows the process list (host.processes) as evidence instead.
 */
export const servicesProbe = defineProbe({
  id: 'host.services',
  describe: 'systemctl show <unit> -p LoadState,ActiveState,SubState,UnitFileState,Restart,... for each configured service',
  async collect(ctx): Promise<ProbeResult<ServicesStatus>> {
    const results = await Promise.all(ctx.config.services.map(async (name) => ({ name, result: await ctx.exec(systemctlShowArgv(name), { env: { ...C_LOCALE } }) })));
    for (const { result } of results) {
      const none = noSystemd(result);
      if (none) return none;
    }
    const units: ServiceUnitStatus[] = [];
    for (const { name, result } of results) {
      const failure = execFailure(result, PROGRAM);
      if (failure?.reason === 'not-installed' || failure?.reason === 'timeout' || failure?.reason === 'permission') return failure;
      if (failure) {
        units.push({ name, detail: failure.detail });
        continue;
      }
      const parsed = parseSystemctlShow(name, result.stdout);
      units.push(parsed.ok ? parsed.value : { name, detail: parsed.detail });
    }
    return { ok: true, value: { units } };
  },
});
