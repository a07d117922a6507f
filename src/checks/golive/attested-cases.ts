/**
 * Test data shared by the five attestation-backed go-live checks (pure data, no test runner
 * import): each check's `check.test.ts` runs this table, so all five are held to the same
 * pass / warn / manual / probe-failed behaviour.
 */
import { ORDER_PROCESSING_PROFILE } from '../../config/profile.js';
import { outcomesOf, type Outcomes } from '../../engine/evaluate.js';
import type { CheckContext, Status } from '../../engine/types.js';
import type { Attestation, Attestations } from '../../facts/project.js';

/** The fixed "today" of the table: 2026-11-26. */
export const CASES_CONTEXT: CheckContext = { config: ORDER_PROCESSING_PROFILE, now: new Date('2026-11-26T12:00:00Z') };

/** An attestation for `check` on line 2, with overrides. */
export function attestation(check: string, a: Partial<Attestation> = {}): Attestation {
  return { check, by: 'Jane Doe (ops)', date: '2026-11-20', evidence: 'https://tickets.example/OPS-1', line: 2, ...a };
}

/** One row: the probe outcome and what the check must say. */
export interface AttestedCase {
  name: string;
  outcomes: Outcomes;
  status: Status;
  summary: RegExp;
  evidence?: string[];
}

const ok = (value: Attestations): Outcomes => outcomesOf({ 'project.attestations': { ok: true, value } });
const inFile = (...items: Attestation[]): Attestations => ({ file: 'predeploy.attest.yaml', items });

/** The table for check `id`. */
export function attestedCases(id: string): AttestedCase[] {
  const escaped = id.replace(/[.]/g, '\\.');
  return [
    {
      name: 'pass: a current attestation (others for other checks are ignored)',
      outcomes: ok(inFile(attestation('golive.other', { date: '2026-11-25' }), attestation(id, { expires: '2026-12-31' }))),
      status: 'pass',
      summary: /^attested by Jane Doe \(ops\) on 2026-11-20$/,
      evidence: ['attested by Jane Doe (ops) on 2026-11-20: https://tickets.example/OPS-1; expires 2026-12-31', 'predeploy.attest.yaml line 2'],
    },
    {
      name: 'manual: no attestation file — says what to attest and the YAML to add',
      outcomes: ok({ file: null, items: [] }),
      status: 'manual',
      summary: new RegExp(
        `^needs a person to confirm that .+; add under "attestations:" in predeploy\\.attest\\.yaml: - \\{ check: ${escaped}, by: "<name, role>", date: 2026-11-26, evidence: "<.+>" \\}$`,
      ),
      evidence: ['no predeploy.attest.yaml in the project root'],
    },
    {
      name: 'manual: the file only has attestations for other checks',
      outcomes: ok(inFile(attestation('golive.something-else'))),
      status: 'manual',
      summary: /^needs a person to confirm that /,
      evidence: [`predeploy.attest.yaml has no attestation for ${id}`],
    },
    {
      name: 'manual: the only attestation expired',
      outcomes: ok(inFile(attestation(id, { expires: '2026-11-25' }))),
      status: 'manual',
      summary: /^the attestation expired on 2026-11-25: confirm again that .+, then add under "attestations:"/,
    },
    {
      name: 'warn: dated in the future',
      outcomes: ok(inFile(attestation(id, { date: '2026-12-05', line: 9 }))),
      status: 'warn',
      summary: /^the attestation is dated 2026-12-05, after today \(2026-11-26\): correct the date at predeploy\.attest\.yaml line 9/,
    },
    {
      name: 'unknown: the attestation file could not be parsed',
      outcomes: outcomesOf({
        'project.attestations': {
          ok: false,
          reason: 'failed',
          detail: '/data/order-processing/predeploy.attest.yaml:4:11: attestations[0].date: expected a date written YYYY-MM-DD (e.g. 2026-11-20)',
        },
      }),
      status: 'unknown',
      summary: /^could not verify: probe project\.attestations failed: .+predeploy\.attest\.yaml:4:11: /,
    },
  ];
}
