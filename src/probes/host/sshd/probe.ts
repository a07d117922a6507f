import { defineProbe } from '../../../engine/define.js';
import type { ProbeContext, ProbeResult } from '../../../engine/types.js';
import type { SshdEffectiveConfig } from '../../../facts/host.js';
import { execFailure } from '../exec-failure.js';
import { C_LOCALE } from '../locale.js';
import { parseSshdT } from './parse.js';

/**
 * Run `sshd -T` (or `sshd -T -f <configPath>`, used by tests on fixture configs) and parse it.
 *
 * `sshd -T` needs root: it loads the host keys, and exits with `sshd: no hostkeys available --
 * exiting.` otherwise. On Debian it also stops with `Missing privilege separation directory:
 * /run/sshd` when the ssh service has never started (the directory is created by the unit's
 * RuntimeDirectory); both become a `failed` probe quoting sshd's message.
 * Without `-C`, Match blocks are not applied: this is the configuration for a connection
 * no Match block selects.
 */
export async function collectSshd(ctx: ProbeContext, configPath?: string): Promise<ProbeResult<SshdEffectiveConfig>> {
  const argv = configPath === undefined ? ['sshd', '-T'] : ['sshd', '-T', '-f', configPath];
  const result = await ctx.exec(argv, { sudo: true, env: { ...C_LOCALE } });
  const failure = execFailure(result, { program: 'sshd', debianPackage: 'openssh-server' });
  if (failure) return failure;
  return parseSshdT(result.stdout);
}

/** The effective sshd configuration. */
export const sshdProbe = defineProbe({
  id: 'host.sshd',
  describe: 'sudo -n sshd -T',
  collect: (ctx) => collectSshd(ctx),
});
