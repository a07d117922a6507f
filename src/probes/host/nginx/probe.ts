import { defineProbe } from '../../../engine/define.js';
import type { ProbeContext, ProbeResult } from '../../../engine/types.js';
import type { NginxConfig } from '../../../facts/web.js';
import { assessedDomain } from '../../../config/domain.js';
import { execFailure } from '../exec-failure.js';
import { C_LOCALE } from '../locale.js';
import { parseNginxDump } from './parse.js';

/**
 * Run `nginx -T` (or `nginx -T -c <configPath>`, used by tests on fixture configs) and parse the
 * dump into the server-block model for the assessed domain.
 *
 * `nginx -T` tests the configuration before printing it, which opens the certificate and key
 * files and the log files: it needs root, so it runs with sudo -n. An invalid configuration
 * exits 1 with `nginx: [emerg] …` on stderr, which becomes a `failed` probe quoting nginx.
 * https://nginx.org/en/docs/switches.html
 */
export async function collectNginx(ctx: ProbeContext, configPath?: string): Promise<ProbeResult<NginxConfig>> {
  const argv = configPath === undefined ? ['nginx', '-T'] : ['nginx', '-T', '-c', configPath];
  const result = await ctx.exec(argv, { sudo: true, env: { ...C_LOCALE } });
  const failure = execFailure(result, { program: 'nginx', debianPackage: 'nginx' });
  if (failure) {
    // nginx prints `[warn]` lines before the `[emerg]` that stopped it: quote the emerg.
    const emerg = /\[emerg\] \d+#\d+: (.*)$/m.exec(result.stderr)?.[1];
    return emerg !== undefined && result.exitCode !== null ? { ...failure, detail: `nginx (exit ${result.exitCode}): [emerg] ${emerg}` } : failure;
  }
  // a cut dump would silently lose the files after the cut: unknown, not a partial model
  if (result.truncated) return { ok: false, reason: 'failed', detail: 'nginx -T output exceeded the output cap: the configuration could not be read whole' };
  return parseNginxDump(result.stdout, { domain: assessedDomain(ctx.config), paths: ['/', ctx.config.domain.healthPath] });
}

/** nginx's effective configuration, as `nginx -T` prints it. */
export const nginxProbe = defineProbe({
  id: 'host.nginx',
  describe: 'sudo -n nginx -T',
  collect: (ctx) => collectNginx(ctx),
});
