/**
 * Go-live items no probe can see (UAT sign-off, a rehearsed rollback, ...) are confirmed by a
 * person in `predeploy.attest.yaml`. This pure helper turns the attestations for one check into
 * a finding, so each go-live check is only its metadata and what a human must attest.
 *
 * - pass: an attestation dated today or earlier that has not expired and is filled in;
 * - manual: none; only placeholders (a `<…>` value — the snippet this tool prints, pasted
 *   unedited —, an example address such as `example.com` or a `.invalid` host, a value marked
 *   `(example)`); only attestations dated in the future (more than a day ahead, to allow for
 *   time zones: a typo or a sign-off written before it happened); or only expired ones. None of
 *   these is a sign-off, so the check stays where a missing one leaves it, with a note saying which
 *   field is wrong and the YAML line to add.
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

/**
 * Domains reserved for documentation (RFC 2606 §3: example.com/.net/.org; RFC 6761 §6.4:
 * `.invalid` never resolves): evidence there points nowhere, whoever wrote it.
 */
const EXAMPLE_DOMAIN = /(^|[@./\s])(example\.(com|net|org)|[a-z0-9-]+\.invalid)(?=$|[/:?#\s)>"'])/i;

/** Why an attestation is a placeholder ("by is a placeholder (<name, role>)"), or undefined when it is filled in. */
export function placeholderReason(a: Attestation, ask: AttestationAsk): string | undefined {
  const fields: [string, string][] = [
    ['by', a.by],
    ['evidence', a.evidence],
  ];
  for (const [field, value] of fields) {
    const v = value.trim();
    if (/<[^<>]*>/.test(v) || (field === 'evidence' && v === ask.evidence)) return `${field} is a placeholder (${v})`;
    if (/\(example\)\s*$/i.test(v)) return `${field} is marked as an example (${v})`;
    if (EXAMPLE_DOMAIN.test(v)) return `${field} points at a reserved example domain (${v})`;
  }
  return undefined;
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
  const all = scan.items.filter((a) => a.check === id).sort(byDateDesc);
  const placeholders = all.filter((a) => placeholderReason(a, ask) !== undefined);
  const mine = all.filter((a) => !placeholders.includes(a));
  const future = mine.filter((a) => a.date > tomorrow);
  const expired = mine.filter((a) => a.date <= tomorrow && a.expires !== undefined && a.expires < today);
  const current = mine.filter((a) => a.date <= tomorrow && !(a.expires !== undefined && a.expires < today));
  const at = (a: Attestation): string => `${scan.file ?? ATTEST_FILE} line ${a.line}`;
  const add = `add under "attestations:" in ${ATTEST_FILE}: ${attestationSnippet(id, ask, today)}`;

  const best = current[0];
  if (best) {
    const evidence: Evidence[] = [{ text: describe(best) }, { text: at(best) }];
    for (const f of future) evidence.push({ text: `also an attestation dated in the future (${f.date}) at ${at(f)}` });
    for (const p of placeholders) evidence.push({ text: `also a placeholder attestation at ${at(p)} (not counted): ${placeholderReason(p, ask) ?? ''}` });
    return { status: 'pass', summary: `attested by ${best.by} on ${best.date}`, evidence };
  }
  const stub = placeholders[0];
  if (stub) {
    return {
      status: 'manual',
      summary: `placeholder attestation: ${placeholderReason(stub, ask) ?? ''} at ${at(stub)} — not a sign-off; once a person confirms that ${ask.attest}, fill in who and the evidence`,
      evidence: placeholders.map((p) => ({ text: `${describe(p)} (${at(p)}): ${placeholderReason(p, ask) ?? ''}` })),
    };
  }
  const ahead = future[0];
  if (ahead) {
    return {
      status: 'manual',
      summary: `the attestation is dated ${ahead.date}, after today (${today}): a sign-off cannot be dated in the future — correct the date at ${at(ahead)} once it has happened`,
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
