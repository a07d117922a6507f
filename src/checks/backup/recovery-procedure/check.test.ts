import { describe, expect, it } from 'vitest';
import { ORDER_PROCESSING_PROFILE } from '../../../config/profile.js';
import { evaluateCheck, outcomesOf } from '../../../engine/evaluate.js';
import type { BackupJobs, Runbook, Runbooks } from '../../../facts/backup.js';
import type { Attestation } from '../../../facts/project.js';
import { check } from './check.js';

const ctx = { config: ORDER_PROCESSING_PROFILE, now: new Date('2026-11-26T12:00:00Z') };
const recoveryRunbook: Runbook = {
  file: 'docs/recovery-runbook.md',
  kinds: ['recovery'],
  signals: { recovery: ['restore', 'cosmos db point-in-time restore', 'blob restore', 'vm restore', 'backup vault', '17 numbered steps', '30 command lines'] },
  headings: ['Recovery runbook — order-processing (production)', '0. Decide and record', '1. Cosmos DB — point-in-time restore', '2. Storage — restore blobs', '3. VM — restore'],
  steps: 17,
  commands: 30,
};
const rollbackOnly: Runbook = { ...recoveryRunbook, file: 'docs/rollback-runbook.md', kinds: ['rollback'], signals: { rollback: ['rollback', 'previous release'] }, headings: [] };
const scan = (runbooks: Runbook[], extra: Partial<Runbooks> = {}): Runbooks => ({
  runbooks,
  otherDocuments: ['docs/notes.md'],
  searched: ['docs/ (3 documents)', 'runbooks/ (not present)', '*.md (1 documents)'],
  unreadable: [],
  ...extra,
});
const drill = (a: Partial<Attestation> = {}): Attestation => ({ check: 'backup.recovery-procedure', by: 'Sam Ops', date: '2026-11-18', evidence: 'https://tickets.example/OPS-9', line: 3, ...a });
const attest = (...items: Attestation[]) => ({ ok: true as const, value: { file: 'predeploy.attest.yaml', items } });
const jobs: BackupJobs = {
  jobs: [{ kind: 'cron', source: '/etc/cron.d/orders-backup', line: 7, schedule: '30 2 * * *', command: 'x', signals: ['pg_dump'], scripts: [], logFiles: [], outputs: [], lastRun: { at: '2026-11-26T07:00:00.000Z', from: '/var/log/orders-backup.log', ageHours: 5 } }],
  otherEntries: 3,
  searched: [],
  gaps: [],
};
const run = (o: Parameters<typeof outcomesOf>[0]) => evaluateCheck(check, outcomesOf(o), ctx);

describe('backup.recovery-procedure', () => {
  it('pass: recovery runbook + a current restore-drill attestation', () => {
    const r = run({ 'project.runbooks': { ok: true, value: scan([recoveryRunbook]) }, 'project.attestations': attest(drill()), 'host.backup-jobs': { ok: true, value: jobs } });
    expect(r.status).toBe('pass');
    expect(r.summary).toBe('recovery runbook docs/recovery-runbook.md; restore drill attested by Sam Ops on 2026-11-18');
    expect(r.evidence.map((e) => e.text)).toEqual([
      'recovery runbook: docs/recovery-runbook.md — restore, cosmos db point-in-time restore, blob restore, vm restore, backup vault, 17 numbered steps, 30 command lines; headings: Recovery runbook — order-processing (production) · 0. Decide and record · 1. Cosmos DB — point-in-time restore · 2. Storage — restore blobs · …',
      'attested by Sam Ops on 2026-11-18: https://tickets.example/OPS-9',
      'predeploy.attest.yaml line 3',
      'host backup jobs: 1, newest run 5 h ago (/var/log/orders-backup.log)',
    ]);
  });

  it('manual: runbook but no drill attested — says what to attest and the YAML to add', () => {
    const r = run({ 'project.runbooks': { ok: true, value: scan([recoveryRunbook]) }, 'project.attestations': attest() });
    expect(r.status).toBe('manual');
    expect(r.summary).toMatch(/^recovery runbook found \(docs\/recovery-runbook\.md\); needs a person to confirm that a restore drill .*- \{ check: backup\.recovery-procedure, by: "<name, role>", date: 2026-11-26, evidence: "<.+>" \}$/);
  });

  it('manual: the drill attestation expired', () => {
    expect(run({ 'project.runbooks': { ok: true, value: scan([recoveryRunbook]) }, 'project.attestations': attest(drill({ expires: '2026-11-01' })) }).status).toBe('manual');
  });

  it('manual: the drill is dated in the future (not a sign-off)', () => {
    expect(run({ 'project.runbooks': { ok: true, value: scan([recoveryRunbook]) }, 'project.attestations': attest(drill({ date: '2026-12-20' })) }).status).toBe('manual');
  });

  it('manual: the drill attestation is the placeholder snippet', () => {
    const r = run({ 'project.runbooks': { ok: true, value: scan([recoveryRunbook]) }, 'project.attestations': attest(drill({ by: '<name, role>' })) });
    expect(r.status).toBe('manual');
    expect(r.summary).toContain('placeholder attestation: by is a placeholder');
  });

  it('manual: runbook, but the attestation file could not be read', () => {
    const r = run({ 'project.runbooks': { ok: true, value: scan([recoveryRunbook]) }, 'project.attestations': { ok: false, reason: 'failed', detail: 'predeploy.attest.yaml:2:3: bad' } });
    expect(r.status).toBe('manual');
    expect(r.summary).toBe('recovery runbook found (docs/recovery-runbook.md); a restore drill must be attested, but predeploy.attest.yaml could not be read (predeploy.attest.yaml:2:3: bad)');
  });

  it('fail: no recovery runbook (a rollback runbook is not one), even with a drill attested', () => {
    const r = run({ 'project.runbooks': { ok: true, value: scan([rollbackOnly]) }, 'project.attestations': attest(drill()) });
    expect(r.status).toBe('fail');
    expect(r.summary).toMatch(/^no recovery runbook in the project/);
    expect(r.evidence.map((e) => e.text)).toEqual([
      'looked in docs/ (3 documents), runbooks/ (not present), *.md (1 documents)',
      'documents not recognised as a recovery runbook: docs/notes.md',
    ]);
  });

  it('unknown: no runbook found but a document could not be read', () => {
    const r = run({ 'project.runbooks': { ok: true, value: scan([], { unreadable: ['docs/dr.md: permission denied'] }) } });
    expect(r.unverified.map((u) => u.cause)).toEqual([{ kind: 'permission', what: 'docs/dr.md' }]);
    expect(r.status).toBe('unknown');
    expect(r.evidence.map((e) => e.text)).toContain('could not read docs/dr.md: permission denied');
  });

  it('unknown: the runbook probe failed', () => {
    const r = run({ 'project.runbooks': { ok: false, reason: 'failed', detail: 'the project root /x does not exist (set --root or OP_ROOT)' } });
    expect(r.status).toBe('unknown');
  });

  it('is live; requires runbooks; uses attestations and backup jobs', () => {
    expect(check.requires).toEqual(['project.runbooks']);
    expect(check.uses).toEqual(['project.attestations', 'host.backup-jobs']);
  });
});
