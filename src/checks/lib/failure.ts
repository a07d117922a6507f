/**
 * How a probe that could not look reads inside a check that goes on without it (a check's
 * optional `uses`): one text and one {@link Unverified} with the probe's root cause.
 */
import { failedProbeEvidence, failedProbeUnverified } from '../../engine/evaluate.js';
import type { ProbeOutcome, Unverified } from '../../engine/types.js';
import type { FactId } from '../../facts/index.js';

/** `probe web.live timed out: ...`, `probe host.nginx did not run`, or '' when it succeeded. */
export function failureText(id: FactId, o: ProbeOutcome<unknown> | undefined): string {
  if (!o) return `probe ${id} did not run`;
  return o.ok ? '' : failedProbeEvidence(id, o).text;
}

/** What a probe that failed or did not run leaves unverified; undefined when it succeeded. */
export function unverifiedOf(id: FactId, o: ProbeOutcome<unknown> | undefined): Unverified | undefined {
  if (!o) return { probe: id, cause: { kind: 'probe', probe: id, reason: 'failed' }, detail: `probe ${id} did not run` };
  return o.ok ? undefined : failedProbeUnverified(id, o);
}
