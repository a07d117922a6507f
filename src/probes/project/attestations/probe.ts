/**
 * `predeploy.attest.yaml` in the project root: the human sign-offs the go-live checks read.
 * No file is a value (no attestations), not a failure; a malformed file is a failure whose
 * detail is the one-line `file:line:col` message, so the report says what to fix.
 */
import { posix } from 'node:path';
import { ATTESTATION_FILE_NAME } from '../../../config/tbd.js';
import { defineProbe } from '../../../engine/define.js';
import { ConfigError } from '../../../engine/errors.js';
import type { ProbeResult } from '../../../engine/types.js';
import type { Attestations } from '../../../facts/project.js';

const MAX_BYTES = 1024 * 1024;

function errnoCode(err: unknown): string | undefined {
  if (err instanceof Error && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}

/** `project.attestations`. */
export const attestationsProbe = defineProbe({
  id: 'project.attestations',
  describe: `read ${ATTESTATION_FILE_NAME} in the project root (human sign-offs)`,
  async collect(ctx): Promise<ProbeResult<Attestations>> {
    const path = posix.join(ctx.root, ATTESTATION_FILE_NAME);
    let buf: Buffer | null;
    try {
      buf = await ctx.readFile(path, MAX_BYTES);
    } catch (err) {
      const code = errnoCode(err);
      if (code === 'EACCES' || code === 'EPERM') return { ok: false, reason: 'permission', detail: `cannot read ${path}: permission denied (${code})` };
      return { ok: false, reason: 'failed', detail: `cannot read ${path}: ${code ?? 'error'}` };
    }
    if (buf === null) return { ok: true, value: { file: null, items: [] } };
    // Loaded on use: the YAML and zod parsers cost start-up time that `checks`/`explain` never need.
    const { parseAttestations } = await import('../../../config/attestations.js');
    try {
      return { ok: true, value: { file: ATTESTATION_FILE_NAME, items: parseAttestations(buf.toString('utf8'), path) } };
    } catch (err) {
      // A ConfigError message is one located line that never quotes a value; anything else is a
      // bug, still reported as a value so the run goes on.
      return { ok: false, reason: 'failed', detail: err instanceof ConfigError ? err.message : `${path}: could not be parsed` };
    }
  },
});
