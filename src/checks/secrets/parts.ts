/**
 * Checks that judge several independent things (a secret is in the vault, it works, it is not
 * about to expire) judge each as a part, then combine: any failing part fails the check, then
 * warn, then unknown (a part that could not be verified is never a pass — DESIGN.md invariant
 * 4), then manual; only all parts passing is a pass. Every part becomes one evidence line.
 */
import type { Evidence, Finding, Status } from '../../engine/types.js';

/** One judged part of a check. */
export interface Part {
  status: Extract<Status, 'pass' | 'warn' | 'fail' | 'unknown' | 'manual'>;
  /** one clause, e.g. "token request refused: AADSTS7000222 (secret expired)" */
  text: string;
  refs?: number[];
}

const ORDER: readonly Part['status'][] = ['fail', 'warn', 'unknown', 'manual', 'pass'];

/** The combined status of parts (an empty list is unknown). */
export function worst(parts: readonly Part[]): Part['status'] {
  for (const s of ORDER) if (parts.some((p) => p.status === s)) return s;
  return 'unknown';
}

/**
 * A finding from parts: the summary names the parts that decide the status (all of them on a
 * pass), the evidence lists every part, worst first.
 */
export function combine(parts: readonly Part[], extra: readonly Evidence[] = []): Finding {
  const status = worst(parts);
  const deciding = status === 'pass' ? parts : parts.filter((p) => p.status === status);
  const sorted = [...parts].sort((a, b) => ORDER.indexOf(a.status) - ORDER.indexOf(b.status));
  return {
    status,
    summary: deciding.map((p) => p.text).join('; '),
    evidence: [
      ...sorted.map((p) => ({ text: `${p.status}: ${p.text}`, ...(p.refs && p.refs.length > 0 ? { refs: p.refs } : {}) })),
      ...extra,
    ],
  };
}
