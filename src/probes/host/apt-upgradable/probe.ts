import { defineProbe } from '../../../engine/define.js';
import type { ProbeContext } from '../../../engine/types.js';
import { execFailure, firstLine } from '../exec-failure.js';
import { C_LOCALE } from '../locale.js';
import { parseAptUpgradable } from './parse.js';
import type { UnreadablePath } from '../../../facts/host.js';
import { unreadablePath } from '../../fs-error.js';

const LISTS_DIR = '/var/lib/apt/lists';

/**
 * Age of the package lists: the newest `*_InRelease` / `*_Release` file is what `apt-get update`
 * last fetched (the directory's own mtime also moves on partial downloads). `undefined` when there
 * are no lists; a read error is kept (what it could not read), never taken for "no lists". The age
 * is context for the verdict, not a reason to fail the probe.
 */
async function listsAgeHours(ctx: ProbeContext): Promise<number | UnreadablePath | undefined> {
  let path = LISTS_DIR;
  try {
    const names = (await ctx.readDir(LISTS_DIR)) ?? [];
    const releases = names.filter((n) => n.endsWith('_InRelease') || n.endsWith('_Release'));
    let newest = 0;
    for (const n of releases) {
      path = `${LISTS_DIR}/${n}`;
      const s = await ctx.stat(path);
      if (s?.isFile) newest = Math.max(newest, s.mtimeMs);
    }
    path = LISTS_DIR;
    if (newest === 0) newest = (await ctx.stat(LISTS_DIR))?.mtimeMs ?? 0;
    if (newest === 0) return undefined;
    const hours = (ctx.now().getTime() - newest) / 3_600_000;
    return Math.max(0, Math.round(hours * 10) / 10);
  } catch (err) {
    return unreadablePath(path, err);
  }
}

/**
 * Pending upgrades from `apt list --upgradable` (no root needed). `apt-get update -qq` runs first
 * only when the user opted in with --refresh-apt (docs/ARCHITECTURE.md invariant 1: read-only by default);
 * if it fails, the listing still runs on the old lists and the error is kept as `refreshError`.
 */
export const aptUpgradableProbe = defineProbe({
  id: 'host.apt-upgradable',
  describe: 'apt list --upgradable (sudo -n apt-get update -qq first with --refresh-apt)',
  async collect(ctx) {
    let refreshed = false;
    let refreshError: string | undefined;
    let refreshNeedsPassword = false;
    if (ctx.options.refreshApt) {
      const update = await ctx.exec(['apt-get', 'update', '-qq'], { sudo: true, env: { ...C_LOCALE } });
      const failure = execFailure(update, { program: 'apt-get', debianPackage: 'apt' });
      if (failure) {
        refreshError = failure.detail;
        refreshNeedsPassword = failure.cause?.kind === 'sudo-password';
      } else refreshed = true;
    }
    const result = await ctx.exec(['apt', 'list', '--upgradable'], { env: { ...C_LOCALE } });
    const failure = execFailure(result, { program: 'apt', debianPackage: 'apt' });
    if (failure) return failure;
    // apt exits 0 even when it only printed `E:` lines on stderr; do not mistake that for "nothing pending".
    const error = result.stderr.split('\n').find((l) => l.startsWith('E: '));
    if (error !== undefined) return { ok: false, reason: 'failed', detail: `apt list --upgradable: ${firstLine(error) ?? error}` };
    const parsed = parseAptUpgradable(result.stdout);
    if (!parsed.ok) return parsed;
    const age = await listsAgeHours(ctx);
    return {
      ok: true,
      value: {
        packages: parsed.value,
        refreshed,
        ...(refreshError !== undefined ? { refreshError } : {}),
        ...(refreshNeedsPassword ? { refreshNeedsPassword } : {}),
        ...(typeof age === 'number' ? { listsAgeHours: age } : {}),
        ...(typeof age === 'object' ? { listsUnreadable: age } : {}),
      },
    };
  },
});
