/**
 * Checks that judge several independent things (a secret is in the vault, it works, it is not
 * about to expire) judge each as a part, then combine: any failing part fails the check, then
 * warn, then unknown (a part that could not be verified is never a pass — docs/ARCHITECTURE.md invariant
 * 4), then manual; only all parts passing is a pass. Every part becomes one evidence line.
 */
import type { Evidence, Finding, Unverified } from '../../engine/types.js';
import { WORST_FIRST, worst as worstOf, type PartStatus } from './status.js';

/** One judged part of a check. */
export interface Part {
  status: PartStatus;
  /** one clause, e.g. "token request refused: AADSTS7000222 (secret expired)" */
  text: string;
  refs?: number[];
  /** what this part could not verify, with its root cause (required in spirit when `status` is `unknown`) */
  unverified?: Unverified[];
}

/** The combined status of parts (an empty list is unknown). */
export function worst(parts: readonly Part[]): PartStatus {
  return worstOf(...parts.map((p) => p.status));
}

/**
 * A finding from parts: the summary names the parts that decide the status (all of them on a
 * pass), the evidence lists every part, worst first.
 */
export function combine(parts: readonly Part[], extra: readonly Evidence[] = []): Finding {
  const status = worst(parts);
  const deciding = status === 'pass' ? parts : parts.filter((p) => p.status === status);
  const sorted = [...parts].sort((a, b) => WORST_FIRST.indexOf(a.status) - WORST_FIRST.indexOf(b.status));
  return {
    status,
    summary: deciding.map((p) => p.text).join('; '),
    evidence: [
      ...sorted.map((p) => ({ text: `${p.status}: ${p.text}`, ...(p.refs && p.refs.length > 0 ? { refs: p.refs } : {}) })),
      ...extra,
    ],
    ...unverifiedOfParts(parts),
  };
}

/** Every part's unverified entries, once each (by cause and detail). */
function unverifiedOfParts(parts: readonly Part[]): { unverified?: Unverified[] } {
  const seen = new Set<string>();
  const out: Unverified[] = [];
  for (const u of parts.flatMap((p) => p.unverified ?? [])) {
    const key = `${JSON.stringify(u.cause)}|${u.detail}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(u);
  }
  return out.length > 0 ? { unverified: out } : {};
}
