import { posix } from 'node:path';
import { parseDotenv } from '../../config/dotenv.js';
import type { ProbeContext, ProbeResult } from '../../engine/types.js';
import type { EnvNameHint } from '../../facts/discovery.js';
import { ENV_FILE_MAX_BYTES, listedEnvFiles, registerEnvSecret } from '../project/env/probe.js';
import { envNameHints } from './dotenv-names.js';

/**
 * Resource names in the `.env` files of env.files. Every secret-looking value is handed to the
 * redactor first (as the project.env probe does), so even a bug could not print it; only the
 * names {@link envNameHints} takes out leave this function.
 */
export async function collectEnvNames(ctx: ProbeContext): Promise<ProbeResult<EnvNameHint[]>> {
  const out: EnvNameHint[] = [];
  for (const rel of listedEnvFiles(ctx.config)) {
    const abs = posix.isAbsolute(rel) ? rel : posix.join(ctx.root, rel);
    let buf: Buffer | null;
    try {
      const st = await ctx.stat(abs);
      if (!st?.isFile) continue;
      buf = await ctx.readFile(abs, ENV_FILE_MAX_BYTES);
    } catch (err) {
      const code = err instanceof Error && 'code' in err ? String(err.code) : 'error';
      return { ok: false, reason: code === 'EACCES' || code === 'EPERM' ? 'permission' : 'failed', detail: `cannot read ${rel} (${code})` };
    }
    if (buf === null) continue;
    const parsed = parseDotenv(buf.toString('utf8'));
    for (const e of parsed.entries) registerEnvSecret(ctx, e.name, e.value);
    out.push(...envNameHints(parsed.entries, rel));
  }
  return { ok: true, value: out };
}
