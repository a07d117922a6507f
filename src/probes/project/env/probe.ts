/**
 * `.env` files of the project: which keys they hold and whether each looks like a credential,
 * a vault reference or nothing — never the values. Every secret-looking value is handed to the
 * redactor (`ctx.addSecret`) so it is hidden from every output of the run.
 */
import { posix } from 'node:path';
import { classifyEnvKey, fingerprint, isOrdinaryValue, parseDotenv } from '../../../config/dotenv.js';
import { defineProbe } from '../../../engine/define.js';
import type { ProbeContext, ProbeResult } from '../../../engine/types.js';
import type { Config } from '../../../config/schema.js';
import type { EnvFile, EnvKey, EnvScan } from '../../../facts/project.js';

/** Larger than any sane `.env`; caps memory if a path points at something else. */
export const ENV_FILE_MAX_BYTES = 1024 * 1024;

/** Multi-line values (PEM keys) may show up one line at a time; lines this long are redacted too. */
const MIN_REDACTED_LINE = 16;

function errnoCode(err: unknown): string | undefined {
  if (err instanceof Error && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}

/** Scan one file; null when it does not exist (or is not a regular file). */
async function scanFile(ctx: ProbeContext, rel: string): Promise<EnvFile | null> {
  const abs = posix.isAbsolute(rel) ? rel : posix.join(ctx.root, rel);
  const st = await ctx.stat(abs);
  if (!st || !st.isFile) return null;
  const buf = await ctx.readFile(abs, ENV_FILE_MAX_BYTES);
  if (buf === null) return null; // removed between stat and read
  let text = buf.toString('utf8');
  let cutLine: number | undefined;
  if (st.size > ENV_FILE_MAX_BYTES) {
    // The last line read may be partial: drop it and report it as unparsed.
    text = text.slice(0, text.lastIndexOf('\n') + 1);
    cutLine = text.split('\n').length;
  }
  const parsed = parseDotenv(text);
  const keys: EnvKey[] = parsed.entries.map((e) => {
    const c = classifyEnvKey(e.name, e.value);
    registerEnvSecret(ctx, e.name, e.value, c);
    return { name: e.name, secretLike: c.secretLike, reference: c.reference, empty: c.empty, line: e.line, ...(c.secretLike && !c.empty ? { fingerprint: fingerprint(e.value) } : {}) };
  });
  return {
    path: rel,
    mode: st.mode,
    uid: st.uid,
    gid: st.gid,
    keys,
    badLines: cutLine === undefined ? parsed.badLines : [...parsed.badLines, cutLine],
  };
}

/** The files of `env.files`, normalized and each once (relative ones are relative to the root). */
export function listedEnvFiles(config: Config): string[] {
  return [...new Set(config.env.files.map((f) => posix.normalize(f).replace(/^\.\//, '')))];
}

/**
 * Hands a secret-like value (and its long lines) to the redactor. An ordinary word
 * (`AZURE_CREDENTIAL=environment`) is not one: it would be redacted everywhere.
 */
export function registerEnvSecret(ctx: Pick<ProbeContext, 'addSecret'>, name: string, value: string, c = classifyEnvKey(name, value)): void {
  if (!c.secretLike || c.empty || c.reference || isOrdinaryValue(name, value)) return;
  ctx.addSecret(value);
  for (const part of value.split(/\r?\n/)) if (part !== value && part.trim().length >= MIN_REDACTED_LINE) ctx.addSecret(part.trim());
}

/** `project.env`: the files listed in `env.files`, relative to the root. Missing files are skipped. */
export const envProbe = defineProbe({
  id: 'project.env',
  describe: 'read .env files listed in env.files (key names only)',
  async collect(ctx): Promise<ProbeResult<EnvScan>> {
    const files: EnvFile[] = [];
    for (const rel of listedEnvFiles(ctx.config)) {
      try {
        const file = await scanFile(ctx, rel);
        if (file) files.push(file);
      } catch (err) {
        const code = errnoCode(err);
        // One unreadable file makes the scan incomplete: say so rather than report the rest as all.
        if (code === 'EACCES' || code === 'EPERM') {
          return { ok: false, reason: 'permission', detail: `cannot read ${rel}: permission denied (${code}); run as the service user or root` };
        }
        return { ok: false, reason: 'failed', detail: `cannot read ${rel}: ${code ?? 'error'}` };
      }
    }
    return { ok: true, value: { files } };
  },
});
