/**
 * What a run says about itself besides check results: which probes ran and how (the report's
 * probe table), and notes on inputs that no check judges (attestations for automated checks).
 * Built by the engine from the outcomes so that reporters never read a probe outcome.
 */
import type { Attestations, FactId } from '../facts/index.js';
import { causeOf } from './causes.js';
import { SECTIONS, type Cause, type Check, type ProbeOutcome, type SectionId } from './types.js';

/** One probe of the run: whether it succeeded, how long it took, which sections read it. */
export interface ProbeRow {
  id: string;
  ok: boolean;
  /** the failure reason (`permission`, `timeout`, ...) when not ok */
  reason?: string;
  detail?: string;
  cause?: Cause;
  durationMs: number;
  refs: number[];
  sections: SectionId[];
}

/** The probes each section's checks read (required or used), from the catalog. */
export function probesBySection(checks: readonly Check[]): Map<FactId, SectionId[]> {
  const map = new Map<FactId, SectionId[]>();
  for (const c of checks) {
    for (const id of [...c.requires, ...(c.uses ?? [])]) {
      const list = map.get(id) ?? [];
      if (!list.includes(c.meta.section)) list.push(c.meta.section);
      map.set(id, list);
    }
  }
  return map;
}

const sectionOrder = (s: SectionId): number => SECTIONS.findIndex((x) => x.id === s);

/** Every probe that ran, in id order, with the sections that read it. */
export function probeRows(outcomes: ReadonlyMap<FactId, ProbeOutcome<unknown>>, checks: readonly Check[]): ProbeRow[] {
  const sections = probesBySection(checks);
  return [...outcomes.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([id, o]) => ({
      id,
      ok: o.ok,
      ...(o.ok ? {} : { reason: o.reason, detail: o.detail, cause: causeOf(id, o) }),
      durationMs: o.durationMs,
      refs: o.refs,
      sections: [...(sections.get(id) ?? [])].sort((a, b) => sectionOrder(a) - sectionOrder(b)),
    }));
}

/**
 * Attestations count only for the checks that ask for one (those reading
 * `project.attestations`): an attestation for an automated check cannot turn its finding into
 * a pass. Such attestations, and those naming no check, are pointed out.
 */
export function attestationNotes(outcomes: ReadonlyMap<FactId, ProbeOutcome<unknown>>, checks: readonly Check[]): string[] {
  const o = outcomes.get('project.attestations');
  if (!o || !o.ok) return [];
  const scan = o.value as Attestations;
  const attested = checks.filter((c) => c.requires.includes('project.attestations') || (c.uses ?? []).includes('project.attestations')).map((c) => c.meta.id);
  const known = new Set(checks.map((c) => c.meta.id));
  const file = scan.file ?? 'predeploy.attest.yaml';
  const notes: string[] = [];
  for (const a of scan.items) {
    if (attested.includes(a.check)) continue;
    notes.push(
      known.has(a.check)
        ? `${file} line ${a.line}: the attestation for ${a.check} does not count — that check is verified by its probes; attestations count only for ${attested.join(', ')}`
        : `${file} line ${a.line}: the attestation names ${a.check}, which is no check (list them with: predeploy checks)`,
    );
  }
  return notes;
}
