/**
 * `project.world-readable`: files in the project root that any local user can read and that
 * hold secret-shaped content — paths, line numbers, kinds and key names, never values (each
 * value found is handed to the redactor). CIS Ubuntu Linux benchmark, "Ensure permissions on
 * ... are configured": credentials readable by "other" are readable by every process on the
 * host, including a compromised web worker.
 *
 * A file counts only when it is readable by others (o+r) and every directory above it lets
 * others through (o+x). The walk has a budget (depth, stat calls, files read, file size): every
 * stat and read is a commands-log entry, and a run must stay quick on a big tree.
 */
import { posix } from 'node:path';
import { defineProbe } from '../../../engine/define.js';
import type { FileStat, ProbeContext } from '../../../engine/types.js';
import type { WorldReadableFinding, WorldReadableScan } from '../../../facts/project.js';
import { isBinary, scanContent } from './scan.js';

/** Directories never walked: dependencies, VCS data, our own run folders, caches. */
const SKIP_DIRS = new Set(['node_modules', '.git', '_codex_predeploy', '.venv', 'venv', '__pycache__', '.cache', '.npm', '.pnpm-store', 'coverage', '.next', '.terraform']);
/** Files not worth reading: binaries by extension and lock files (hashes, no credentials). */
const SKIP_FILES = /\.(?:png|jpe?g|gif|webp|ico|svg|pdf|zip|gz|tgz|bz2|xz|7z|tar|jar|war|so|dll|exe|bin|woff2?|ttf|eot|otf|mp[34]|mov|avi|wasm|map|sqlite3?|db)$|^(?:package-lock\.json|yarn\.lock|pnpm-lock\.yaml|poetry\.lock|Cargo\.lock|composer\.lock)$/i;

/** The walk's budget. */
export const WORLD_READABLE_BUDGET = { maxDepth: 4, maxStats: 800, maxReads: 200, maxFileBytes: 256 * 1024 } as const;

const OTHER_READ = 0o004;
const OTHER_EXEC = 0o001;

/** The root and each directory above it let others through. */
async function openToOthers(ctx: ProbeContext, root: string): Promise<boolean> {
  let dir = posix.resolve(root);
  for (;;) {
    const st = await ctx.stat(dir);
    if (!st || (st.mode & OTHER_EXEC) === 0) return false;
    const up = posix.dirname(dir);
    if (up === dir) return true;
    dir = up;
  }
}

/** `project.world-readable`: secret-shaped lines in files others can read, walked within {@link WORLD_READABLE_BUDGET}. */
export const worldReadableProbe = defineProbe({
  id: 'project.world-readable',
  describe: 'walk the project root (depth 4, budgeted) for world-readable files with secret-shaped content (names and lines only)',
  async collect(ctx) {
    const b = WORLD_READABLE_BUDGET;
    let stats = 0;
    let reads = 0;
    let budgetHit = false;
    let worldReadableFiles = 0;
    let scannedFiles = 0;
    const tooLarge: string[] = [];
    const findings: WorldReadableFinding[] = [];

    const rootStat = await ctx.stat(ctx.root);
    if (!rootStat || !rootStat.isDirectory) return { ok: false, reason: 'failed', detail: `project root ${ctx.root} is not a directory` };
    const rootOpen = await openToOthers(ctx, ctx.root);

    const queue: { rel: string; depth: number }[] = [{ rel: '', depth: 0 }];
    while (queue.length > 0) {
      const { rel, depth } = queue.shift() ?? { rel: '', depth: 0 };
      const names = await ctx.readDir(rel === '' ? ctx.root : posix.join(ctx.root, rel));
      if (!names) continue;
      for (const name of [...names].sort()) {
        const childRel = rel === '' ? name : `${rel}/${name}`;
        if (SKIP_DIRS.has(name)) continue;
        if (stats >= b.maxStats) {
          budgetHit = true;
          break;
        }
        stats += 1;
        let st: FileStat | null;
        try {
          st = await ctx.stat(posix.join(ctx.root, childRel));
        } catch {
          continue; // a file we may not stat is not one others can read through us
        }
        if (!st) continue;
        if (st.isDirectory) {
          // a directory others cannot enter hides everything below it from them
          if ((st.mode & OTHER_EXEC) === 0) continue;
          if (depth + 1 >= b.maxDepth) {
            budgetHit = true;
            continue;
          }
          queue.push({ rel: childRel, depth: depth + 1 });
          continue;
        }
        if (!st.isFile || (st.mode & OTHER_READ) === 0) continue;
        worldReadableFiles += 1;
        if (SKIP_FILES.test(name)) continue;
        if (st.size > b.maxFileBytes) {
          tooLarge.push(childRel);
          continue;
        }
        if (reads >= b.maxReads) {
          budgetHit = true;
          continue;
        }
        reads += 1;
        let buf: Buffer | null;
        try {
          buf = await ctx.readFile(posix.join(ctx.root, childRel), b.maxFileBytes);
        } catch {
          continue;
        }
        if (!buf || isBinary(buf)) continue;
        scannedFiles += 1;
        const scan = scanContent(childRel, buf.toString('utf8'));
        for (const v of scan.values) ctx.addSecret(v);
        for (const h of scan.hits) {
          findings.push({ path: childRel, line: h.line, kind: h.kind, ...(h.key !== undefined ? { key: h.key } : {}), mode: st.mode, uid: st.uid });
        }
      }
    }
    const value: WorldReadableScan = {
      rootOpenToOthers: rootOpen,
      findings,
      worldReadableFiles,
      scannedFiles,
      tooLarge,
      budgetHit,
      maxDepth: b.maxDepth,
    };
    return { ok: true, value };
  },
});
