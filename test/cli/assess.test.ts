import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/index.js';
import { CannedTarget, type Canned } from '../helpers/canned-target.js';
import { cli } from '../helpers/cli.js';

const FILES = ['13_PRODUCTION_DEPLOY_REPORT.md', '13_PRODUCTION_DEPLOY_COMMANDS.log', 'PRODUCTION_READINESS_CHECKLIST.md', 'report.json', 'SHA256SUMS'];

function tempRoot(files: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'predeploy-cli-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), content, { mode: 0o600 });
  }
  return root;
}

const UFW_INACTIVE: Record<string, Canned> = { 'ufw status verbose': { stdout: 'Status: inactive\n' } };
const target = (table: Record<string, Canned> = UFW_INACTIVE) => new CannedTarget(table);

describe('predeploy assess: run id and run folder', () => {
  it('honours OP_RUN_ID and writes the four files', async () => {
    const root = tempRoot();
    const r = await cli(['assess', '--offline'], { env: { OP_ROOT: root, OP_RUN_ID: 'abc' }, target: target() });
    expect(r.code).toBe(0);
    const dir = join(root, '_codex_predeploy', 'abc');
    expect(readdirSync(dir).sort()).toEqual([...FILES].sort());
    expect(r.stdout).toContain('run id:   abc');
    expect(r.stdout).toContain(`folder:   ${dir}`);
    expect(r.stdout.trimEnd().split('\n').length).toBeLessThanOrEqual(120);
    const json = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { schemaVersion: number; results: unknown[] };
    expect(json.schemaVersion).toBe(1);
    expect(json.results).toHaveLength(CHECKS.length);
  });

  it('generates a valid run id when none is given, and shows it', async () => {
    const root = tempRoot();
    const r = await cli(['assess', '--offline', '--root', root], { target: target() });
    expect(r.code).toBe(0);
    const id = /run id:\s+(\S+)/.exec(r.stdout)?.[1] ?? '';
    expect(id).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{4}$/);
    expect(r.stderr).toContain(`run ${id} (generated)`);
    expect(existsSync(join(root, '_codex_predeploy', id, 'report.json'))).toBe(true);
  });

  it.each(['../x', 'a/b', '..', 'x'.repeat(65), 'bad id', 'ok..no'])('refuses run id %j with exit 2, one line, nothing created', async (id) => {
    const root = tempRoot();
    const r = await cli(['assess', '--offline'], { env: { OP_ROOT: root, OP_RUN_ID: id }, target: target() });
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^predeploy: invalid run id/);
    expect(r.stdout).toBe('');
    expect(existsSync(join(root, '_codex_predeploy'))).toBe(false);
  });

  it('refuses an existing run folder with exit 2 and leaves it untouched', async () => {
    const root = tempRoot({ '_codex_predeploy/abc/13_PRODUCTION_DEPLOY_REPORT.md': 'earlier run\n' });
    const file = join(root, '_codex_predeploy/abc/13_PRODUCTION_DEPLOY_REPORT.md');
    const before = statSync(file).mtimeMs;
    const r = await cli(['assess', '--offline'], { env: { OP_ROOT: root, OP_RUN_ID: 'abc' }, target: target() });
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('already exists');
    expect(readFileSync(file, 'utf8')).toBe('earlier run\n');
    expect(statSync(file).mtimeMs).toBe(before);
    expect(readdirSync(join(root, '_codex_predeploy/abc'))).toEqual(['13_PRODUCTION_DEPLOY_REPORT.md']);
  });

  it('refuses a missing root with exit 2', async () => {
    const r = await cli(['assess', '--offline', '--root', '/nonexistent/predeploy-root'], { target: target() });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('predeploy: root /nonexistent/predeploy-root does not exist; pass --root <dir> or set OP_ROOT\n');
  });

  it('refuses a malformed predeploy.yaml with file:line and exit 2, creating nothing', async () => {
    const root = tempRoot({ 'predeploy.yaml': 'profile: order-processing\ndomain:\n  prod: [unclosed\n' });
    const r = await cli(['assess', '--offline', '--root', root], { target: target() });
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`^predeploy: ${join(root, 'predeploy.yaml').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+:\\d+: `));
    expect(existsSync(join(root, '_codex_predeploy'))).toBe(false);
  });

  it.each([
    [['assess', '--bogus'], /^predeploy: unknown option --bogus for assess; see predeploy help assess\n/],
    [['assess', '--timeout', 'soon'], /--timeout "soon"/],
    [['assess', '--only', 'nosuch.check'], /unknown section or check "nosuch.check"/],
    [["frobnicate"], /unknown command "frobnicate"/],
    [['explain', 'nosuch.check'], /unknown check "nosuch.check"/],
  ])('bad usage %j exits 2 with one line', async (argv, message) => {
    const root = tempRoot();
    const r = await cli(argv, { env: { OP_ROOT: root }, target: target() });
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });
});

describe('predeploy assess: selection, gate, timeouts, interruption', () => {
  it('--only takes sections and check ids', async () => {
    const root = tempRoot();
    const r = await cli(['assess', '--offline', '--only', 'golive,security.firewall'], { env: { OP_ROOT: root, OP_RUN_ID: 'only' }, target: target() });
    expect(r.code).toBe(0);
    const json = JSON.parse(readFileSync(join(root, '_codex_predeploy/only/report.json'), 'utf8')) as { results: { id: string }[] };
    expect(json.results.map((x) => x.id).sort()).toEqual(['golive.dev-tests', 'golive.rollback', 'golive.support-contacts', 'golive.uat', 'golive.window', 'security.firewall']);
  });

  it('--fail-under exits 1 when a critical check fails, 0 when the gate holds', async () => {
    const root = tempRoot();
    const failing = await cli(['assess', '--offline', '--only', 'security.firewall', '--fail-under', '0'], { env: { OP_ROOT: root, OP_RUN_ID: 'gate1' }, target: target() });
    expect(failing.code).toBe(1);
    expect(failing.stderr).toContain('gate failed');
    const holding = await cli(['assess', '--offline', '--only', 'bot.decision', '--fail-under', '0'], { env: { OP_ROOT: root, OP_RUN_ID: 'gate2' }, target: target() });
    expect(holding.code).toBe(0);
  });

  it('cuts a hanging probe off at its timeout and completes the run', async () => {
    const root = tempRoot();
    const r = await cli(['assess', '--offline', '--timeout', '300ms'], {
      env: { OP_ROOT: root, OP_RUN_ID: 'hang' },
      target: target({ 'ufw status verbose': { hang: true } }),
    });
    expect(r.code).toBe(0);
    const json = JSON.parse(readFileSync(join(root, '_codex_predeploy/hang/report.json'), 'utf8')) as { results: { id: string; status: string; summary: string }[] };
    const fw = json.results.find((x) => x.id === 'security.firewall');
    expect(fw?.status).toBe('unknown');
    expect(fw?.summary).toMatch(/timed out/);
    expect(readFileSync(join(root, '_codex_predeploy/hang/13_PRODUCTION_DEPLOY_COMMANDS.log'), 'utf8')).toMatch(/ufw status verbose → timeout/);
  });

  it('on SIGINT writes the files marked incomplete and exits 3', async () => {
    const root = tempRoot();
    const hanging = target({ 'ufw status verbose': { hang: true } });
    const r = await cli(['assess', '--offline', '--timeout', '30s'], {
      env: { OP_ROOT: root, OP_RUN_ID: 'int' },
      target: hanging,
      // mid-run: once the hanging command has started (not after a guess at how long start-up takes)
      interruptWhen: () => hanging.calls.some((c) => c.join(' ') === 'ufw status verbose'),
    });
    expect(r.code).toBe(3);
    const dir = join(root, '_codex_predeploy/int');
    expect(readdirSync(dir).sort()).toEqual([...FILES].sort());
    expect(readFileSync(join(dir, '13_PRODUCTION_DEPLOY_REPORT.md'), 'utf8')).toContain('INCOMPLETE');
    expect(readFileSync(join(dir, '13_PRODUCTION_DEPLOY_COMMANDS.log'), 'utf8')).toMatch(/ufw status verbose → interrupted/);
    expect(r.stdout).toContain('INCOMPLETE');
  });
});

describe('predeploy checks / explain / help / version', () => {
  it('lists every registered check', async () => {
    const r = await cli(['checks', '--json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as unknown[]).length).toBe(CHECKS.length);
  });
  it('explains a check', async () => {
    const r = await cli(['explain', 'bot.decision']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('bot.decision —');
    expect(r.stdout).toContain('severity:    high');
  });
  it('prints help and version', async () => {
    expect((await cli(['--help'])).stdout).toContain('predeploy assess');
    expect((await cli(['--version'])).stdout).toMatch(/^predeploy \d+\.\d+\.\d+\n$/);
  });
});
