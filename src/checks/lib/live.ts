/**
 * The parts of `web.live` (HTTPS, HTTP, health, TLS) fail one by one; a check that needed a part
 * that failed names it in `unverified`: an endpoint that did not answer is `unreachable`, anything
 * else (an answer predeploy could not read, a missing openssl) is the probe's own failure.
 */
import type { Unverified } from '../../engine/types.js';
import type { LiveAttempt } from '../../facts/web.js';

/** What a failed live part leaves unverified. */
export function livePartUnverified(part: Extract<LiveAttempt<unknown>, { ok: false }>, refs: readonly number[] = []): Unverified {
  return {
    probe: 'web.live',
    cause: part.endpoint !== undefined ? { kind: 'unreachable', endpoint: part.endpoint } : { kind: 'probe', probe: 'web.live', reason: 'failed' },
    detail: part.error,
    ...(refs.length > 0 ? { refs: [...refs] } : {}),
  };
}
