/**
 * File-system errors as values. `ProbeContext.readFile` / `readDir` / `stat` return null only for
 * a path that does not exist and throw for anything else (EACCES, EIO, ELOOP, ...): a probe that
 * reads many paths turns each such throw into an {@link UnreadablePath} — never into "missing",
 * never into an empty list (STYLE.md habit 11).
 */
import type { UnreadablePath } from '../facts/host.js';

/** The errno code of a thrown file-system error (`EACCES`), when it has one. */
export function errnoCode(err: unknown): string | undefined {
  return err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

export function isPermissionError(err: unknown): boolean {
  const code = errnoCode(err);
  return code === 'EACCES' || code === 'EPERM';
}

/** `path` could not be read because of `err`. */
export function unreadablePath(path: string, err: unknown): UnreadablePath {
  if (isPermissionError(err)) return { path, reason: 'permission', detail: 'permission denied (run predeploy as root to read it)' };
  return { path, reason: 'failed', detail: errnoCode(err) ?? (err instanceof Error ? err.message : String(err)) };
}
