import { describe, expect, it } from 'vitest';
import { parseAttestations } from '../../config/attestations.js';
import { ORDER_PROCESSING_PROFILE } from '../../config/profile.js';
import { evaluateCheck, outcomesOf } from '../../engine/evaluate.js';
import type { Attestation } from '../../facts/project.js';
import { attestation } from '../../../test/fixtures/golive/attested-cases.js';
import { attestationSnippet, attestedCheck } from './attested.js';

const ID = 'golive.uat';
const check = attestedCheck(
  {
    id: ID,
    section: 'golive',
    title: 'UAT signed off',
    severity: 'high',
    effort: { size: 'S', hours: [1, 2] },
    remediation: { text: 'Done means: x' },
    runs: 'predeploy.attest.yaml',
  },
  { attest: 'UAT was signed off', evidence: '<link>' },
);

function run(items: Attestation[], now = '2026-11-26T12:00:00Z') {
  return evaluateCheck(check, outcomesOf({ 'project.attestations': { ok: true, value: { file: 'predeploy.attest.yaml', items } } }), {
    config: ORDER_PROCESSING_PROFILE,
    now: new Date(now),
  });
}

describe('evaluateAttestation rules', () => {
  it('the newest current attestation is cited', () => {
    const r = run([attestation(ID, { date: '2026-10-01', by: 'Old' }), attestation(ID, { date: '2026-11-25', by: 'New', line: 8 })]);
    expect(r.status).toBe('pass');
    expect(r.summary).toBe('attested by New on 2026-11-25');
  });

  it('dated tomorrow (UTC) is allowed: the attester may be ahead of UTC; later is not a sign-off', () => {
    expect(run([attestation(ID, { date: '2026-11-27' })]).status).toBe('pass');
    expect(run([attestation(ID, { date: '2026-11-28' })]).status).toBe('manual');
  });

  it.each([
    ['by: the snippet placeholder', { by: '<name, role>' }, 'by is a placeholder (<name, role>)'],
    ['evidence: the ask, unedited', { evidence: '<link>' }, 'evidence is a placeholder (<link>)'],
    ['evidence: any <…> value', { evidence: 'see <ticket number>' }, 'evidence is a placeholder (see <ticket number>)'],
    ['evidence: the README example address', { evidence: 'https://tickets.example.com/UAT-42' }, 'evidence points at a reserved example domain (https://tickets.example.com/UAT-42)'],
    ['by: an example.com address', { by: 'ops-lead@example.com' }, 'by points at a reserved example domain (ops-lead@example.com)'],
    ['evidence: the shipped example file', { evidence: 'https://example.invalid/ci/workflow-api/runs/1234 (example)' }, 'evidence is marked as an example (https://example.invalid/ci/workflow-api/runs/1234 (example))'],
  ])('placeholder refused (%s): manual, with a note naming the field', (_name, a, reason) => {
    const r = run([attestation(ID, a)]);
    expect(r.status).toBe('manual');
    expect(r.summary).toContain(`placeholder attestation: ${reason}`);
  });

  it('a filled-in attestation next to a placeholder counts; the placeholder is noted', () => {
    const r = run([attestation(ID, { by: '<name, role>', line: 3 }), attestation(ID, { line: 5 })]);
    expect(r.status).toBe('pass');
    expect(r.evidence.map((e) => e.text)).toContain('also a placeholder attestation at predeploy.attest.yaml line 3 (not counted): by is a placeholder (<name, role>)');
  });

  it('ordinary values are not placeholders', () => {
    expect(run([attestation(ID, { by: 'Jane Doe (ops)', evidence: 'https://tickets.example/OPS-1 — the sandbox run, see example section' })]).status).toBe('pass');
  });

  it('the expiry day itself still counts', () => {
    expect(run([attestation(ID, { expires: '2026-11-26' })]).status).toBe('pass');
    expect(run([attestation(ID, { expires: '2026-11-25' })]).status).toBe('manual');
  });

  it('a current attestation wins over a future one, which is still mentioned', () => {
    const r = run([attestation(ID, { date: '2027-01-01', line: 5 }), attestation(ID)]);
    expect(r.status).toBe('pass');
    expect(r.evidence.map((e) => e.text)).toContain('also an attestation dated in the future (2027-01-01) at predeploy.attest.yaml line 5');
  });

  it('future beats expired: the date correction is the more useful message', () => {
    const r = run([attestation(ID, { expires: '2026-11-01', date: '2026-10-01' }), attestation(ID, { date: '2026-12-24' })]);
    expect(r.status).toBe('manual');
    expect(r.summary).toMatch(/^the attestation is dated 2026-12-24, after today/);
  });

  it('the snippet is valid YAML for parseAttestations once filled in', () => {
    const snippet = attestationSnippet(ID, { attest: 'x', evidence: '<link>' }, '2026-11-26');
    expect(snippet).toBe('- { check: golive.uat, by: "<name, role>", date: 2026-11-26, evidence: "<link>" }');
    const filled = snippet.replace('<name, role>', 'Jane Doe, ops').replace('<link>', 'OPS-1');
    expect(parseAttestations(`attestations:\n  ${filled}\n`, 'a.yaml')).toEqual([
      { check: ID, by: 'Jane Doe, ops', date: '2026-11-26', evidence: 'OPS-1', line: 2 },
    ]);
  });
});
