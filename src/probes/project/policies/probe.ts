/**
 * `project.policies`: documents in the project root that state a secret rotation policy,
 * recognised by content (./parse.ts): `*.md`/`*.txt` at the root and in `docs/`, `doc/`,
 * `runbooks/`, `ops/`, `security/` (two levels), within a small budget of files read.
 */
import { posix } from 'node:path';
import { defineProbe } from '../../../engine/define.js';
import type { ProbeContext } from '../../../engine/types.js';
import type { PolicyDocs, RotationPolicyDoc } from '../../../facts/project.js';
import { parseRotationPolicy } from './parse.js';

const DOC_DIRS = ['docs', 'doc', 'runbooks', 'ops', 'security', '.github'];
const DOC_FILE = /\.(?:md|markdown|txt|rst|adoc)$/i;
const MAX_FILES = 60;
const MAX_BYTES = 256 * 1024;

/** Document files in `rel` and (one level down) its subdirectories. */
async function docsIn(ctx: ProbeContext, rel: string, depth: number, out: string[]): Promise<void> {
  const names = await ctx.readDir(rel === '' ? ctx.root : posix.join(ctx.root, rel));
  if (!names) return;
  for (const name of [...names].sort()) {
    if (out.length >= MAX_FILES) return;
    const child = rel === '' ? name : `${rel}/${name}`;
    if (DOC_FILE.test(name)) {
      out.push(child);
    } else if (depth > 0 && !name.startsWith('.') && !name.includes('.')) {
      const st = await ctx.stat(posix.join(ctx.root, child));
      if (st?.isDirectory) await docsIn(ctx, child, depth - 1, out);
    }
  }
}

/** `project.policies`: rotation policies stated in the project's documents. */
export const policiesProbe = defineProbe({
  id: 'project.policies',
  describe: 'read *.md/*.txt in the project root and docs/, runbooks/, ops/, security/ for a secret rotation policy (recognised by content)',
  async collect(ctx) {
    const files: string[] = [];
    const root = await ctx.readDir(ctx.root);
    if (root === null) return { ok: false, reason: 'failed', detail: `project root ${ctx.root} cannot be listed` };
    for (const name of [...root].sort()) if (DOC_FILE.test(name) && files.length < MAX_FILES) files.push(name);
    for (const dir of DOC_DIRS) if (root.includes(dir)) await docsIn(ctx, dir, 1, files);
    const scanned: string[] = [];
    const rotation: RotationPolicyDoc[] = [];
    for (const rel of files) {
      let buf: Buffer | null;
      try {
        buf = await ctx.readFile(posix.join(ctx.root, rel), MAX_BYTES);
      } catch {
        continue; // an unreadable document is not a policy anyone can follow
      }
      if (!buf) continue;
      scanned.push(rel);
      const doc = parseRotationPolicy(rel, buf.toString('utf8'));
      if (doc) rotation.push(doc);
    }
    const value: PolicyDocs = { scanned, rotation };
    return { ok: true, value };
  },
});
