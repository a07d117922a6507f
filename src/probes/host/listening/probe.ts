import { defineProbe } from '../../../engine/define.js';
import { execFailure } from '../exec-failure.js';
import { C_LOCALE } from '../locale.js';
import { parseSsListening } from './parse.js';

/**
 * TCP listeners: `ss -tlnp`, with sudo -n so the Process column names the owner of every socket
 * (without root, ss shows only the caller's own processes — the sockets are still listed).
 */
export const listeningProbe = defineProbe({
  id: 'host.listening',
  describe: 'sudo -n ss -tlnp',
  async collect(ctx) {
    const result = await ctx.exec(['ss', '-tlnp'], { sudo: true, env: { ...C_LOCALE } });
    const failure = execFailure(result, { program: 'ss', debianPackage: 'iproute2' });
    if (failure) return failure;
    return parseSsListening(result.stdout);
  },
});
