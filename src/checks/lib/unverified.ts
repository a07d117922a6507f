/**
 * Holding a finding to what was looked at: a check that judged what it could, while some probe it
 * reads (or a part of one) could not look, is never better than `unknown` — only a `fail` stands
 * on the evidence it has (docs/ARCHITECTURE.md invariant 4: unknown is not pass). Less evidence never makes
 * a status better.
 */
import type { Finding, ProbeOutcome, Unverified } from '../../engine/types.js';
import type { WebLive } from '../../facts/web.js';
import { unverifiedOf } from './failure.js';
import { livePartUnverified } from './live.js';

/** `finding`, capped at `unknown` when anything is unverified (a fail stays a fail, with the list). */
export function capUnverified(finding: Finding, unverified: readonly Unverified[]): Finding {
  if (unverified.length === 0) return finding;
  const all = [...(finding.unverified ?? []), ...unverified];
  if (finding.status === 'fail' || finding.status === 'unknown') return { ...finding, unverified: all };
  return {
    ...finding,
    status: 'unknown',
    summary: `${finding.summary}; but not verified: ${unverified.map((u) => u.detail).join('; ')}`,
    unverified: all,
  };
}

/** What `web.live` leaves unverified: the whole probe when it failed, else the named parts that failed. */
export function liveUnverified(o: ProbeOutcome<WebLive> | undefined, parts: readonly ('https' | 'http' | 'health' | 'tls')[]): Unverified[] {
  if (!o || !o.ok) {
    const u = unverifiedOf('web.live', o);
    return u ? [u] : [];
  }
  return parts.flatMap((p) => {
    const a = o.value[p];
    return a.ok ? [] : [livePartUnverified(a, o.refs)];
  });
}
