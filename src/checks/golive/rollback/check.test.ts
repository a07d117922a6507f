import { describe, expect, it } from 'vitest';
import { evaluateCheck, outcomesOf } from '../../../engine/evaluate.js';
import { attestation, CASES_CONTEXT, describeAttestedCheck } from '../../../../test/fixtures/golive/attested-cases.js';
import { check } from './check.js';

// the shared attestation cases, with a rollback runbook in the project
describeAttestedCheck(check, {
  severity: 'high',
  blocker: true,
  with: outcomesOf({
    'project.runbooks': {
      ok: true,
      value: { runbooks: [{ file: 'docs/rollback-runbook.md', kinds: ['rollback'], signals: {}, headings: [], steps: 8, commands: 14 }], otherDocuments: [], searched: ['docs/'], unreadable: [] },
    },
  }),
  lead: 'rollback runbook found: docs/rollback-runbook.md; ',
  leadEvidence: /^rollback runbook: /,
});

describe('golive.rollback with the project.runbooks probe', () => {
  const rollbackRunbook = {
    file: 'docs/rollback-runbook.md',
    kinds: ['rollback' as const],
    signals: { rollback: ['rollback', 'previous release', '8 numbered steps', '14 command lines'] },
    headings: ['Rollback runbook — order-processing releases', 'When to roll back', 'Steps', 'Database migrations'],
    steps: 8,
    commands: 14,
  };
  const runbooks = (list: (typeof rollbackRunbook)[]) => ({ ok: true as const, value: { runbooks: list, otherDocuments: [], searched: ['docs/ (2 documents)', 'runbooks/ (not present)', '*.md (1 documents)'], unreadable: [] } });
  const attestations = (items: ReturnType<typeof attestation>[]) => ({ ok: true as const, value: { file: 'predeploy.attest.yaml', items } });
  const run = (o: Parameters<typeof outcomesOf>[0]) => evaluateCheck(check, outcomesOf(o), CASES_CONTEXT);

  it('runbook found + attestation → pass; the summary says the runbook exists and the evidence names it', () => {
    const r = run({ 'project.runbooks': runbooks([rollbackRunbook]), 'project.attestations': attestations([attestation('golive.rollback')]) });
    expect(r.status).toBe('pass');
    expect(r.summary).toBe('rollback runbook found: docs/rollback-runbook.md; attested by Jane Doe (ops) on 2026-11-20');
    expect(r.evidence[0]?.text).toBe(
      'rollback runbook: docs/rollback-runbook.md — rollback, previous release, 8 numbered steps, 14 command lines; headings: Rollback runbook — order-processing releases · When to roll back · Steps · Database migrations',
    );
  });

  it('runbook found but no attestation → still manual: the rehearsal needs a person', () => {
    const r = run({ 'project.runbooks': runbooks([rollbackRunbook]), 'project.attestations': attestations([]) });
    expect(r.status).toBe('manual');
    expect(r.summary).toMatch(/^rollback runbook found: docs\/rollback-runbook\.md; needs a person to confirm that /);
  });

  it('no runbook found + attestation → at best warn (the runbook may live elsewhere, but nothing shows it), and the summary says none was found', () => {
    const r = run({ 'project.runbooks': runbooks([]), 'project.attestations': attestations([attestation('golive.rollback')]) });
    expect(r.status).toBe('warn');
    expect(r.summary).toBe('no rollback runbook found in the project; attested by Jane Doe (ops) on 2026-11-20');
    expect(r.evidence[0]?.text).toBe('no document recognised as a rollback runbook (looked in docs/ (2 documents), runbooks/ (not present), *.md (1 documents))');
  });

  it('runbook probe failed: said, and the attestation still decides', () => {
    const r = run({ 'project.runbooks': { ok: false, reason: 'failed', detail: 'the project root /x does not exist (set --root or OP_ROOT)' }, 'project.attestations': attestations([]) });
    expect(r.status).toBe('manual');
    expect(r.summary).toMatch(/^could not look for a rollback runbook \(the project root \/x does not exist/);
  });

  it('runbook probe failed + attestation → unknown naming the probe, not pass', () => {
    const r = run({ 'project.runbooks': { ok: false, reason: 'permission', detail: 'cannot list docs/: permission denied', cause: { kind: 'permission', what: '/data/order-processing/docs' } }, 'project.attestations': attestations([attestation('golive.rollback')]) });
    expect(r.status).toBe('unknown');
    expect(r.unverified.map((u) => u.cause)).toEqual([{ kind: 'permission', what: '/data/order-processing/docs' }]);
  });

  it('attestation file broken → unknown, whatever the runbooks say', () => {
    const r = run({ 'project.runbooks': runbooks([rollbackRunbook]), 'project.attestations': { ok: false, reason: 'failed', detail: 'predeploy.attest.yaml:4:11: bad date' } });
    expect(r.status).toBe('unknown');
  });

  it('uses project.runbooks (optional)', () => {
    expect(check.uses).toEqual(['project.runbooks']);
  });
});
