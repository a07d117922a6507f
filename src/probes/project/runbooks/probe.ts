/**
 * `project.runbooks`: recovery and rollback runbooks in the project root, recognised by content
 * (classify.ts). Looks in `docs/` and `runbooks/` (recursively, a few levels) and at the root's own
 * `*.md` files. A missing folder is a value (nothing there), an unreadable document is listed.
 */
import { posix } from 'node:path';
import { defineProbe } from '../../../engine/define.js';
import type { ProbeContext, ProbeResult } from '../../../engine/types.js';
import type { Runbook, Runbooks } from '../../../facts/backup.js';
import { classifyRunbook } from './classify.js';

const DOC_EXTENSIONS = /\.(?:md|markdown|txt|rst|adoc)$/i;
const SKIP_DIRS = new Set(['node_modules', '.git', '_codex_predeploy']);
const MAX_DEPTH = 4;
const MAX_DOCUMENTS = 300;
const MAX_OTHERS = 50;
const MAX_BYTES = 1024 * 1024;

function errnoCode(err: unknown): string | undefined {
  return err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

const reason = (err: unknown): string => (errnoCode(err) === 'EACCES' || errnoCode(err) === 'EPERM' ? 'permission denied' : (errnoCode(err) ?? 'error'));

/** Documents under `rel` (relative to the root), depth-first, sorted. */
async function walk(ctx: ProbeContext, rel: string, depth: number, out: string[], unreadable: string[]): Promise<boolean> {
  let names: string[] | null;
  try {
    names = await ctx.readDir(posix.join(ctx.root, rel));
  } catch (err) {
    unreadable.push(`${rel}/: ${reason(err)}`);
    return true;
  }
  if (names === null) return false;
  for (const name of [...names].sort()) {
    if (out.length >= MAX_DOCUMENTS) break;
    if (name.startsWith('.') || SKIP_DIRS.has(name)) continue;
    const child = posix.join(rel, name);
    let st: Awaited<ReturnType<ProbeContext['stat']>>;
    try {
      st = await ctx.stat(posix.join(ctx.root, child));
    } catch (err) {
      // a document we cannot even stat may be the runbook: said, not skipped
      unreadable.push(`${child}: ${reason(err)}`);
      continue;
    }
    if (st?.isDirectory && depth < MAX_DEPTH) await walk(ctx, child, depth + 1, out, unreadable);
    else if (st?.isFile && DOC_EXTENSIONS.test(name)) out.push(child);
  }
  return true;
}

/** `project.runbooks`. */
export const runbooksProbe = defineProbe({
  id: 'project.runbooks',
  describe: 'read docs/, runbooks/ and *.md in the project root; recognise recovery and rollback runbooks by content',
  async collect(ctx): Promise<ProbeResult<Runbooks>> {
    const unreadable: string[] = [];
    const searched: string[] = [];
    const documents: string[] = [];
    for (const dir of ['docs', 'runbooks']) {
      const before = documents.length;
      const present = await walk(ctx, dir, 1, documents, unreadable);
      searched.push(present ? `${dir}/ (${documents.length - before} documents)` : `${dir}/ (not present)`);
    }
    let top: string[] | null = null;
    try {
      top = await ctx.readDir(ctx.root);
    } catch (err) {
      return { ok: false, reason: errnoCode(err) === 'EACCES' ? 'permission' : 'failed', detail: `cannot list the project root ${ctx.root}: ${reason(err)}` };
    }
    if (top === null) return { ok: false, reason: 'failed', detail: `the project root ${ctx.root} does not exist (set --root or OP_ROOT)` };
    const rootDocs = top.filter((n) => /\.(?:md|markdown)$/i.test(n)).sort();
    documents.push(...rootDocs);
    searched.push(`*.md (${rootDocs.length} documents)`);

    const runbooks: Runbook[] = [];
    const otherDocuments: string[] = [];
    for (const rel of documents) {
      let buf: Buffer | null;
      try {
        buf = await ctx.readFile(posix.join(ctx.root, rel), MAX_BYTES);
      } catch (err) {
        unreadable.push(`${rel}: ${reason(err)}`);
        continue;
      }
      if (buf === null) continue;
      const found = classifyRunbook(buf.toString('utf8'), rel);
      if (found) runbooks.push(found);
      else if (otherDocuments.length < MAX_OTHERS) otherDocuments.push(rel);
    }
    return { ok: true, value: { runbooks, otherDocuments, searched, unreadable } };
  },
});
