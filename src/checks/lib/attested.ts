/**
 * Go-live items no probe can see (UAT sign-off, a rehearsed rollback, ...) are confirmed by a
 * person in `predeploy.attest.yaml`. This pure helper turns the attestations for one check into
 * a finding, so each go-live check is only its metadata and what a human must attest.
 *
 * - pass: an attestation dated today or earlier that has not expired;
 * - warn: the only attestations are dated in the future (more than a day ahead, to allow for
 *   time zones) — a typo or a sign-off written before it happened;
 * - manual: none, or only expired ones — the summary gives the YAML line to add.
 */
import type { Check, CheckContext, CheckMeta, Evidence, Facts, Finding } from '../../engine/types.js';
import type { Attestation } from '../../facts/project.js';

/** What a person must confirm for one check. */
export interface AttestationAsk {
  /** the thing confirmed, as a clause: "business users signed off UAT of the release candidate" */
  attest: string;
  /** what to put in `evidence:` — a link or reference: "<link to the UAT sign-off>" */
  evidence: string;
}

const ATTEST_FILE = 'predeploy.attest.yaml';
const DAY_MS = 24 * 60 * 60 * 1000;

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** The YAML list item a human adds (flow style, so it fits one summary line). */
export function attestationSnippet(id: string, ask: AttestationAsk, today: string): string {
  return `- { check: ${id}, by: "<name, role>", date: ${today}, evidence: "${ask.evidence}" }`;
}

function describe(a: Attestation): string {
  const expires = a.expires !== undefined ? `; expires ${a.expires}` : '';
  return `attested by ${a.by} on ${a.date}: ${a.evidence}${expires}`;
}

const byDateDesc = (a: Attestation, b: Attestation): number => b.date.localeCompare(a.date) || (b.expires ?? '9999').localeCompare(a.expires ?? '9999');

/** Evaluate the attestations of `project.attestations` for check `id`. Pure. */
export function evaluateAttestation(id: string, ask: AttestationAsk, facts: Facts, ctx: CheckContext): Finding {
  const scan = facts.need('project.attestations');
  const today = isoDay(ctx.now);
  const tomorrow = isoDay(new Date(ctx.now.getTime() + DAY_MS));
  const mine = scan.items.filter((a) => a.check === id).sort(byDateDesc);
  const future = mine.filter((a) => a.date > tomorrow);
  const expired = mine.filter((a) => a.date <= tomorrow && a.expires !== undefined && a.expires < today);
  const current = mine.filter((a) => a.date <= tomorrow && !(a.expires !== undefined && a.expires < today));
  const at = (a: Attestation): string => `${scan.file ?? ATTEST_FILE} line ${a.line}`;
  const add = `add under "attestations:" in ${ATTEST_FILE}: ${attestationSnippet(id, ask, today)}`;

  const best = current[0];
  if (best) {
    const evidence: Evidence[] = [{ text: describe(best) }, { text: at(best) }];
    for (const f of future) evidence.push({ text: `also an attestation dated in the future (${f.date}) at ${at(f)}` });
    return { status: 'pass', summary: `attested by ${best.by} on ${best.date}`, evidence };
  }
  const ahead = future[0];
  if (ahead) {
    return {
      status: 'warn',
      summary: `the attestation is dated ${ahead.date}, after today (${today}): correct the date at ${at(ahead)} once it has happened`,
      evidence: future.map((f) => ({ text: `${describe(f)} (${at(f)})` })),
    };
  }
  const last = expired[0];
  if (last) {
    return {
      status: 'manual',
      summary: `the attestation expired on ${last.expires ?? '?'}: confirm again that ${ask.attest}, then ${add}`,
      evidence: expired.map((e) => ({ text: `${describe(e)} (${at(e)})` })),
    };
  }
  const where = scan.file === null ? `no ${ATTEST_FILE} in the project root` : `${scan.file} has no attestation for ${id}`;
  return {
    status: 'manual',
    summary: `needs a person to confirm that ${ask.attest}; ${add}`,
    evidence: [{ text: where }],
  };
}

/** A go-live check answered by an attestation: metadata plus what a person must confirm. */
export function attestedCheck(meta: CheckMeta, ask: AttestationAsk): Check {
  return {
    meta,
    requires: ['project.attestations'],
    evaluate: (facts, ctx) => evaluateAttestation(meta.id, ask, facts, ctx),
  };
}
