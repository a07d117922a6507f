import { defineProbe } from '../../../engine/define.js';
import { execFailure } from '../exec-failure.js';
import { C_LOCALE } from '../locale.js';
import { parseUfwStatus } from './parse.js';

/**
 * `ufw status verbose` (root only: ufw reads the live iptables chains, so it runs with sudo -n).
 * ufw not installed → `not-installed`, which leaves security.firewall unknown; hosts filtered by
 * plain nftables/iptables are a later probe.
 */
export const ufwProbe = defineProbe({
  id: 'host.ufw',
  describe: 'sudo -n ufw status verbose',
  async collect(ctx) {
    const result = await ctx.exec(['ufw', 'status', 'verbose'], { sudo: true, env: { ...C_LOCALE } });
    const failure = execFailure(result, { program: 'ufw', debianPackage: 'ufw' });
    if (failure) return failure;
    return parseUfwStatus(result.stdout);
  },
});
