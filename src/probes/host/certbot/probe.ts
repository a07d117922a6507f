import { defineProbe } from '../../../engine/define.js';
import type { ProbeContext, ProbeResult } from '../../../engine/types.js';
import type { CertbotCertificates } from '../../../facts/web.js';
import { execFailure } from '../exec-failure.js';
import { C_LOCALE } from '../locale.js';
import { parseCertbotCertificates } from './parse.js';

/** Where a test points certbot instead of /etc/letsencrypt, /var/lib/letsencrypt and /var/log/letsencrypt. */
export interface CertbotDirs {
  configDir: string;
  workDir: string;
  logsDir: string;
}

/**
 * Run `certbot certificates` (root: /etc/letsencrypt is 0700) and parse it. Tests pass their own
 * `--config-dir`, `--work-dir` and `--logs-dir`. certbot not installed → `not-installed`.
 *
 * Note: certbot always writes its debug log (`letsencrypt.log`, rotated) into the logs
 * directory and takes a lock in the config and work directories, even for this listing.
 * https://eff-certbot.readthedocs.io/en/stable/using.html#managing-certificates
 */
export async function collectCertbot(ctx: ProbeContext, dirs?: CertbotDirs): Promise<ProbeResult<CertbotCertificates>> {
  const argv = dirs === undefined ? ['certbot', 'certificates'] : ['certbot', 'certificates', '--config-dir', dirs.configDir, '--work-dir', dirs.workDir, '--logs-dir', dirs.logsDir];
  const result = await ctx.exec(argv, { sudo: true, env: { ...C_LOCALE } });
  const failure = execFailure(result, { program: 'certbot', debianPackage: 'certbot' });
  if (failure) {
    // certbot explains itself after a generic first line (`The following error was encountered:`)
    const errno = /^\[Errno \d+\] .*$/m.exec(`${result.stdout}\n${result.stderr}`)?.[0];
    return errno !== undefined && result.exitCode !== null ? { ...failure, detail: `certbot (exit ${result.exitCode}): ${errno}` } : failure;
  }
  // certbot prints the listing on stdout and "Saving debug log" / skipped configs on stderr
  return parseCertbotCertificates(`${result.stderr}\n${result.stdout}`);
}

/** The certificates certbot manages. */
export const certbotProbe = defineProbe({
  id: 'host.certbot',
  describe: 'sudo -n certbot certificates',
  // certbot writes its debug log and work files even to list certificates: point them into the
  // run's scratch folder (removed after the run) instead of /var/log and /var/lib/letsencrypt.
  // The config dir stays /etc/letsencrypt (that is what is being read); certbot may still take
  // its lock file there.
  collect: (ctx) =>
    ctx.scratchDir === undefined
      ? collectCertbot(ctx)
      : collectCertbot(ctx, { configDir: '/etc/letsencrypt', workDir: `${ctx.scratchDir}/certbot-work`, logsDir: `${ctx.scratchDir}/certbot-logs` }),
});
