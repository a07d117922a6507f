import { defineProbe } from '../../../engine/define.js';
import { execFailure } from '../exec-failure.js';
import { C_LOCALE } from '../locale.js';
import { parseDf } from './parse.js';

/**
 * Disk usage per mounted file system: `df -PT` (POSIX output in 1024-byte blocks, with types;
 * no root needed). df exits 1 when it could not read some mount (`df: /run/user/1000/doc:
 * Permission denied`) but still prints the rest: those rows are kept and the complaints noted.
 * A hung network mount makes df hang too; the run's timeout turns that into `timeout`.
 */
export const diskProbe = defineProbe({
  id: 'host.disk',
  describe: 'df -PT',
  async collect(ctx) {
    const result = await ctx.exec(['df', '-PT'], { env: { ...C_LOCALE } });
    const warnings = result.stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '');
    if (result.exitCode === 1 && !result.timedOut && result.refused === undefined) {
      const partial = parseDf(result.stdout);
      if (partial.ok && partial.value.length > 0) return { ok: true, value: { mounts: partial.value, warnings } };
    }
    const failure = execFailure(result, { program: 'df', debianPackage: 'coreutils' });
    if (failure) return failure;
    const parsed = parseDf(result.stdout);
    if (!parsed.ok) return parsed;
    return { ok: true, value: { mounts: parsed.value, warnings } };
  },
});
