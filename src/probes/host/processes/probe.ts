import { defineProbe } from '../../../engine/define.js';
import { execFailure } from '../exec-failure.js';
import { C_LOCALE } from '../locale.js';
import { parsePsList } from './parse.js';

/**
 * The process list: `ps -eo pid,user,etime,args`. No root needed (unless /proc is mounted with
 * hidepid, when only the caller's processes show). Used as evidence where systemd cannot answer.
 */
export const processesProbe = defineProbe({
  id: 'host.processes',
  describe: 'ps -eo pid,user,etime,args',
  async collect(ctx) {
    const result = await ctx.exec(['ps', '-eo', 'pid,user,etime,args'], { env: { ...C_LOCALE } });
    const failure = execFailure(result, { program: 'ps', debianPackage: 'procps' });
    if (failure) return failure;
    return parsePsList(result.stdout);
  },
});
