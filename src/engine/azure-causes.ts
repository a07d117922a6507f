/**
 * The root cause of an Azure {@link Lookup} that could not look (see {@link Cause}), shared by
 * the Azure probes (a probe that fails as a whole names it) and the checks (an `unknown` part
 * carries it), so the same 403 or 429 reads as the same cause everywhere.
 */
import type { Lookup } from '../facts/azure.js';
import type { Cause } from './types.js';

/** What ARM is called when a timeout did not say which origin it was waiting for. */
export const ARM_ENDPOINT_LABEL = 'Azure Resource Manager';

/**
 * The cause of a lookup that is not `found`: `undefined` for `found` and `not-found` (looked and
 * found nothing is a finding, not a cause); `undecided` for a `TBD` name.
 */
export function lookupCause(l: Lookup<unknown>, probe: string): Cause | undefined {
  switch (l.status) {
    case 'found':
    case 'not-found':
      return undefined;
    case 'tbd':
      return { kind: 'undecided', key: l.key ?? /\(([\w.]+) is TBD\)/.exec(l.detail)?.[1] ?? 'TBD' };
    case 'forbidden':
      return { kind: 'forbidden', service: 'azure', role: l.role };
    case 'error':
      switch (l.reason) {
        case 'no-credentials':
          return { kind: 'no-credentials', service: 'azure' };
        case 'throttled':
          return { kind: 'throttled', service: 'azure' };
        case 'timeout':
          return { kind: 'unreachable', endpoint: l.endpoint ?? ARM_ENDPOINT_LABEL };
        case 'failed':
          return { kind: 'probe', probe, reason: 'failed' };
      }
  }
}
