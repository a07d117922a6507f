/**
 * Paths a probe could not read (see {@link UnreadablePath}) as what a check leaves unverified:
 * a permission problem names the path (`{ kind: 'permission', what }`), so the report can group
 * "run as root / grant read access to X" once; any other error is the probe's own failure.
 */
import type { Evidence, Unverified } from '../../engine/types.js';
import type { UnreadablePath } from '../../facts/host.js';
import type { FactId } from '../../facts/index.js';

/** One unverified entry per unreadable path. */
export function unreadableUnverified(probe: FactId, paths: readonly UnreadablePath[], refs: readonly number[] = []): Unverified[] {
  return paths.map((u) => ({
    probe,
    cause: u.reason === 'permission' ? { kind: 'permission', what: u.path } : { kind: 'probe', probe, reason: 'failed' },
    detail: `could not read ${u.path}: ${u.detail}`,
    ...(refs.length > 0 ? { refs: [...refs] } : {}),
  }));
}

/** One evidence line per unreadable path: `could not read /etc/x: permission denied (...)`. */
export function unreadableEvidence(paths: readonly UnreadablePath[], prefix = ''): Evidence[] {
  return paths.map((u) => ({ text: `${prefix}could not read ${u.path}: ${u.detail}` }));
}
