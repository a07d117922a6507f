/**
 * `--format`, `--fail-on`, waivers and attestations through the real CLI (in-process), with a
 * CannedTarget standing in for the host.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CannedTarget, type Canned } from '../helpers/canned-target.js';
import { cli } from '../helpers/cli.js';

const UFW_INACTIVE: Record<string, Canned> = { 'ufw status verbose': { stdout: 'Status: inactive\n' } };

function tempRoot(files: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'predeploy-fmt-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), content, { mode: 0o600 });
  }
  return root;
}

interface JsonReport {
  score: number | null;
  blockers: { id: string }[];
  meta: { files: string[] };
  results: { id: string; status: string; summary: string; evidence: { text: string }[] }[];
  waivers: { applied: { check: string }[]; expired: { check: string }[]; unused: { check: string; why: string }[] };
  notes: string[];
}
const readReport = (dir: string): JsonReport => JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as JsonReport;

describe('--format', () => {
  it('writes report.sarif, report.junit.xml and report.html next to the four files', async () => {
    const root = tempRoot();
    const r = await cli(['assess', '--offline', '--quiet', '--format', 'sarif,junit', '--format', 'html'], { env: { OP_ROOT: root, OP_RUN_ID: 'f1' }, target: new CannedTarget(UFW_INACTIVE) });
    expect(r.code).toBe(0);
    const dir = join(root, '_codex_predeploy', 'f1');
    expect(readdirSync(dir).sort()).toEqual(
      ['13_PRODUCTION_DEPLOY_COMMANDS.log', '13_PRODUCTION_DEPLOY_REPORT.md', 'PRODUCTION_READINESS_CHECKLIST.md', 'SHA256SUMS', 'report.html', 'report.json', 'report.junit.xml', 'report.sarif'].sort(),
    );
    const report = readReport(dir);
    expect([...report.meta.files].sort()).toEqual(readdirSync(dir).sort());
    const sarif = JSON.parse(readFileSync(join(dir, 'report.sarif'), 'utf8')) as { version: string; runs: { results: { ruleId: string }[] }[] };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]!.results.map((x) => x.ruleId)).toEqual(report.results.filter((x) => x.status !== 'pass' && x.status !== 'n/a').map((x) => x.id));
    const junit = readFileSync(join(dir, 'report.junit.xml'), 'utf8');
    expect(junit.match(/<testcase /g)).toHaveLength(report.results.length);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toMatch(/^<!doctype html>/);
    expect(r.stdout).toContain('files: 13_PRODUCTION_DEPLOY_REPORT.md, PRODUCTION_READINESS_CHECKLIST.md, report.json, report.sarif, report.junit.xml, report.html, 13_PRODUCTION_DEPLOY_COMMANDS.log');
  });

  it('md and json are always written; without --format nothing else is', async () => {
    const root = tempRoot();
    const r = await cli(['assess', '--offline', '--quiet', '--format', 'md,json'], { env: { OP_ROOT: root, OP_RUN_ID: 'f2' }, target: new CannedTarget(UFW_INACTIVE) });
    expect(r.code).toBe(0);
    expect(readdirSync(join(root, '_codex_predeploy', 'f2'))).toHaveLength(5);
  });

  it('refuses an unknown format with exit 2 before creating anything', async () => {
    const root = tempRoot();
    const r = await cli(['assess', '--offline', '--format', 'pdf'], { env: { OP_ROOT: root, OP_RUN_ID: 'f3' }, target: new CannedTarget(UFW_INACTIVE) });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('predeploy: --format "pdf": expected md, json, sarif, junit, html\n');
    expect(readdirSync(root)).toEqual([]);
  });
});

describe('--fail-on blockers', () => {
  it('exits 1 when a go-live blocker fails, naming it; 0 without the flag', async () => {
    const root = tempRoot();
    const env = { OP_ROOT: root };
    const gated = await cli(['assess', '--offline', '--quiet', '--only', 'golive.uat', '--fail-on', 'blockers'], { env: { ...env, OP_RUN_ID: 'b1' }, target: new CannedTarget(UFW_INACTIVE) });
    // golive.uat is a blocker; with no attestation it is manual, not fail: no failing blocker
    expect(gated.code).toBe(0);
    const failing = await cli(['assess', '--offline', '--quiet', '--only', 'security.ssh', '--fail-on', 'blockers'], {
      env: { ...env, OP_RUN_ID: 'b2' },
      target: new CannedTarget({ 'sshd -T': { stdout: readFileSync(join(import.meta.dirname, '../fixtures/host/sshd/root-login-yes.txt'), 'utf8') } }),
    });
    const report = readReport(join(root, '_codex_predeploy', 'b2'));
    expect(report.results[0]!.status).toBe('fail');
    expect(failing.code).toBe(1);
    expect(failing.stderr).toContain('predeploy: gate failed: 1 go-live blocker(s) failing: security.ssh\n');
    const plain = await cli(['assess', '--offline', '--quiet', '--only', 'security.ssh'], {
      env: { ...env, OP_RUN_ID: 'b3' },
      target: new CannedTarget({ 'sshd -T': { stdout: readFileSync(join(import.meta.dirname, '../fixtures/host/sshd/root-login-yes.txt'), 'utf8') } }),
    });
    expect(plain.code).toBe(0);
  });

  it('refuses an unknown --fail-on value with exit 2', async () => {
    const r = await cli(['assess', '--offline', '--fail-on', 'warnings'], { env: { OP_ROOT: tempRoot() }, target: new CannedTarget(UFW_INACTIVE) });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('predeploy: --fail-on "warnings": expected blockers\n');
  });
});

describe('waivers (predeploy.yaml)', () => {
  const sshFail = () => new CannedTarget({ 'sshd -T': { stdout: readFileSync(join(import.meta.dirname, '../fixtures/host/sshd/root-login-yes.txt'), 'utf8') } });

  it('an active waiver turns a failure into waived (shown apart), an expired one changes nothing', async () => {
    const root = tempRoot({
      'predeploy.yaml': [
        'waivers:',
        '  - check: security.ssh',
        '    reason: root login needed by the legacy backup agent until it is replaced',
        '    approver: CTO (A. Person)',
        '    expires: 2099-12-31',
        '  - check: golive.window',
        '    reason: window agreed verbally',
        '    approver: Ops lead',
        '    expires: 2020-01-31',
        '',
      ].join('\n'),
    });
    const r = await cli(['assess', '--offline', '--quiet', '--only', 'security.ssh,golive.window', '--fail-on', 'blockers'], { env: { OP_ROOT: root, OP_RUN_ID: 'w1' }, target: sshFail() });
    const dir = join(root, '_codex_predeploy', 'w1');
    const report = readReport(dir);
    const ssh = report.results.find((x) => x.id === 'security.ssh')!;
    expect(ssh.status).toBe('waived');
    expect(ssh.summary).toMatch(/^waived until 2099-12-31 by CTO \(A\. Person\): root login needed .* \(the check says fail: /);
    expect(ssh.evidence[0]!.text).toMatch(/^waiver \(predeploy\.yaml\): approved by CTO/);
    expect(report.results.find((x) => x.id === 'golive.window')!.status).toBe('manual');
    expect(report.waivers.applied.map((w) => w.check)).toEqual(['security.ssh']);
    expect(report.waivers.expired.map((w) => w.check)).toEqual(['golive.window']);
    // a waived blocker no longer blocks: the gate holds
    expect(report.blockers).toEqual([]);
    expect(r.code).toBe(0);
    const md = readFileSync(join(dir, '13_PRODUCTION_DEPLOY_REPORT.md'), 'utf8');
    expect(md).toMatch(/## Waived risks[\s\S]*\| `security\.ssh` \| FAIL: /);
    expect(md).toMatch(/\*\*Expired waivers — no longer applied:\*\*[\s\S]*\| `golive\.window` \| 2020-01-31/);
    expect(readFileSync(join(dir, 'PRODUCTION_READINESS_CHECKLIST.md'), 'utf8')).toMatch(/- \[ \] .*`security\.ssh` · WAIVED/);
    expect(r.stdout).toMatch(/^waivers: {2}1 applied \(accepted risks\); 1 EXPIRED, no longer applied: golive\.window$/m);
  });

  it.each([
    ['waivers:\n  - check: security.ssh\n    reason: x\n    approver: y\n', /predeploy\.yaml:2:\d+: waivers\[0\]/],
    ['waivers:\n  - check: security.ssh\n    reason: x\n    approver: y\n    expires: 31/12/2099\n', /predeploy\.yaml:5:\d+: waivers\[0\]\.expires: expected a date written YYYY-MM-DD/],
    ['waivers:\n  - check: security.ssh\n    reason: x\n    approver: y\n    expires: 2099-12-31\n    ticket: T-1\n', /predeploy\.yaml:6:\d+: .*ticket/],
  ])('refuses a malformed waiver with file:line and exit 2 (%#)', async (yaml, message) => {
    const root = tempRoot({ 'predeploy.yaml': yaml });
    const r = await cli(['assess', '--offline'], { env: { OP_ROOT: root, OP_RUN_ID: 'w2' }, target: sshFail() });
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it('refuses a waiver for a check that does not exist', async () => {
    const root = tempRoot({ 'predeploy.yaml': 'waivers:\n  - check: security.sshh\n    reason: x\n    approver: y\n    expires: 2099-12-31\n' });
    const r = await cli(['assess', '--offline'], { env: { OP_ROOT: root, OP_RUN_ID: 'w3' }, target: sshFail() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^predeploy: \S*predeploy\.yaml:2:12: waivers\[0\]\.check: no check "security\.sshh" \(did you mean "security\.ssh"\?\)\n$/);
  });

  it('lists every problem of predeploy.yaml, one "predeploy: file:line:col" line each, and runs nothing', async () => {
    const root = tempRoot({ 'predeploy.yaml': 'domain:\n  prd: x\nhost:\n  diskWarnPercent: 200\nnotApplicable:\n  zoho.webhook: none\n' });
    const r = await cli(['assess', '--offline'], { env: { OP_ROOT: root, OP_RUN_ID: 'w4' }, target: sshFail() });
    expect(r.code).toBe(2);
    const file = join(root, 'predeploy.yaml');
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      `predeploy: ${file}:2:3: unknown key "prd" in domain (did you mean "prod"?)`,
      `predeploy: ${file}:4:20: host.diskWarnPercent: must be at most 100`,
      `predeploy: ${file}:6:3: notApplicable: no check "zoho.webhook" (did you mean "zoho.webhooks"?)`,
    ]);
    expect(existsSync(join(root, '_codex_predeploy'))).toBe(false);
  });
});

describe('a malformed predeploy.attest.yaml is bad input', () => {
  it.each([
    ['a syntax error', 'attestations:\n  - check: "golive.uat\n', /predeploy\.attest\.yaml:2:12: YAML syntax error: missing closing "quote$/],
    ['a misspelt key', 'attestations:\n  - check: golive.uat\n    by: x\n    date: 2026-11-20\n    evidnce: y\n', /predeploy\.attest\.yaml:5:5: unknown key "evidnce" in attestations\[0\] \(did you mean "evidence"\?\)$/],
    ['a check that does not exist', 'attestations:\n  - { check: golive.uta, by: x, date: 2026-11-20, evidence: y }\n', /predeploy\.attest\.yaml:2:14: attestations\[0\]\.check: no check "golive\.uta" \(did you mean "golive\.uat"\?\)$/],
  ])('%s: exit 2 with file:line:col before anything runs, no run folder', async (_name, yaml, message) => {
    const root = tempRoot({ 'predeploy.attest.yaml': yaml });
    const r = await cli(['assess', '--offline'], { env: { OP_ROOT: root, OP_RUN_ID: 'at' }, target: new CannedTarget(UFW_INACTIVE) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^predeploy: /);
    expect(r.stderr.trimEnd().split('\n').some((l) => message.test(l))).toBe(true);
    expect(r.stdout).toBe('');
    expect(existsSync(join(root, '_codex_predeploy'))).toBe(false);
  });
});

describe('attestations cannot override an automated check', () => {
  it('an attestation for security.firewall changes nothing, and the report says so', async () => {
    const attest = ['attestations:', '  - check: security.firewall', '    by: Jane (ops)', '    date: 2026-01-01', '    evidence: "we looked at the firewall"', ''].join('\n');
    const withAttestation = tempRoot({ 'predeploy.attest.yaml': attest });
    const without = tempRoot();
    const run = async (root: string) => {
      const r = await cli(['assess', '--offline', '--quiet', '--only', 'security,golive'], { env: { OP_ROOT: root, OP_RUN_ID: 'a1' }, target: new CannedTarget(UFW_INACTIVE) });
      expect(r.code).toBe(0);
      return readReport(join(root, '_codex_predeploy', 'a1'));
    };
    const [a, b] = [await run(withAttestation), await run(without)];
    const statuses = (x: JsonReport) => x.results.map((y) => `${y.id}=${y.status}`);
    expect(statuses(a)).toEqual(statuses(b));
    expect(a.results.find((x) => x.id === 'security.firewall')!.status).not.toBe('pass');
    expect(a.score).toBe(b.score);
    expect(a.notes).toEqual([expect.stringMatching(/^predeploy\.attest\.yaml line 2: the attestation for security\.firewall does not count — that check is verified by its probes/)]);
  });
});
