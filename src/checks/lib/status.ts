/**
 * The one way checks combine partial judgements. Worst first: a failing part fails the check; a
 * part that could not be verified makes the whole `unknown` (never better than what the missing
 * evidence could have shown — docs/ARCHITECTURE.md invariant 4); then `manual`, then `warn`; only all parts
 * passing is a pass. An empty list is `unknown`: nothing was judged.
 */
import type { Status } from '../../engine/types.js';

/** The statuses a check's parts take. */
export type PartStatus = Extract<Status, 'pass' | 'warn' | 'fail' | 'unknown' | 'manual'>;

export const WORST_FIRST: readonly PartStatus[] = ['fail', 'unknown', 'manual', 'warn', 'pass'];

/** The worst of several statuses (an empty list is `unknown`). */
export function worst(...statuses: readonly PartStatus[]): PartStatus {
  for (const s of WORST_FIRST) if (statuses.includes(s)) return s;
  return 'unknown';
}
