/**
 * Root causes of "could not look" (see {@link Cause}): how a failed probe's cause is derived
 * when the probe did not name one, and the key that groups unknowns with the same cause.
 */
import type { Cause, ProbeFailure } from './types.js';

/** The cause of a probe failure: the probe's own, else `probe <id> <reason>`. */
export function causeOf(probe: string, failure: Pick<ProbeFailure, 'reason' | 'cause'>): Cause {
  return failure.cause ?? { kind: 'probe', probe, reason: failure.reason };
}

/** A stable key: unknowns with equal keys share one root cause and one action. */
export function causeKey(c: Cause): string {
  switch (c.kind) {
    case 'no-credentials':
      return `no-credentials:${c.service}`;
    case 'not-installed':
      return `not-installed:${c.tool}`;
    case 'undecided':
      return `undecided:${c.key}`;
    case 'forbidden':
      return `forbidden:${c.service}:${c.role}`;
    case 'permission':
      return `permission:${c.what}`;
    case 'unreachable':
      return `unreachable:${c.endpoint}`;
    case 'throttled':
      return `throttled:${c.service}`;
    case 'probe':
      return `probe:${c.probe}:${c.reason}`;
    case 'check-error':
      return `check-error:${c.check}`;
    case 'sudo-password':
    case 'offline':
    case 'interrupted':
      return c.kind;
  }
}
