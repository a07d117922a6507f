/**
 * The command line as a newcomer meets it: no command, mistyped options and commands, help per
 * command, `explain` (the why, and ids for a partial word) and `checks` (section ids, blockers).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/index.js';
import { COMMANDS, OPTIONS } from '../../src/cli/args.js';
import { catalogRows, suggestCheckIds } from '../../src/cli/catalog.js';
import { WHY } from '../../src/cli/rationale.js';
import { SECTIONS } from '../../src/engine/types.js';
import { cli } from '../helpers/cli.js';

const oneLine = (s: string) => s.trimEnd().split('\n');

describe('no command, help', () => {
  it('predeploy with no command prints the help on stderr and exits 2', async () => {
    const r = await cli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Usage:');
    expect(r.stderr).toContain('predeploy assess [options]');
  });

  it('--help and help print it on stdout with exit 0; it names every command and every option', async () => {
    for (const argv of [['--help'], ['help'], ['-h']]) {
      const r = await cli(argv);
      expect(r.code).toBe(0);
      for (const c of Object.values(COMMANDS)) expect(r.stdout).toContain(`predeploy ${c.synopsis}`);
      for (const o of Object.keys(OPTIONS)) expect(r.stdout).toContain(`--${o}`);
    }
  });

  it.each(Object.keys(COMMANDS))('help %s and %s --help show that command with its options', async (name) => {
    const a = await cli(['help', name]);
    const b = await cli([name, '--help']);
    expect(a.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    expect(a.stdout).toContain(`Usage: predeploy ${COMMANDS[name as keyof typeof COMMANDS].synopsis}`);
    for (const o of COMMANDS[name as keyof typeof COMMANDS].options) expect(a.stdout).toContain(`--${o}`);
  });
});

describe('mistakes are one line with the fix', () => {
  it.each([
    [['assess', '--ofline'], 'predeploy: unknown option --ofline for assess (did you mean --offline?); see predeploy help assess'],
    [['assess', '--fail-undr', '80'], 'predeploy: unknown option --fail-undr for assess (did you mean --fail-under?); see predeploy help assess'],
    [['assess', '--jsno'], 'predeploy: unknown option --jsno for assess; see predeploy help assess'],
    [['checks', '--jsn'], 'predeploy: unknown option --jsn for checks (did you mean --json?); see predeploy help checks'],
    [['assess', '-x'], 'predeploy: unknown option -x for assess; see predeploy help assess'],
    [['checks', '--offline'], 'predeploy: checks takes no --offline (it is an option of assess, capture, init, config); see predeploy help checks'],
    [['config', '--out', 'x'], 'predeploy: config takes no --out (it is an option of assess, capture, init, diff); see predeploy help config'],
    [['assess', '--root'], 'predeploy: --root needs a value: --root <dir>; see predeploy help assess'],
    [['assess', '--root', '--offline'], 'predeploy: --root needs a value: --root <dir>; see predeploy help assess'],
    [['assess', '--offline=yes'], 'predeploy: --offline takes no value; see predeploy help assess'],
    [['asess'], 'predeploy: unknown command "asess" (did you mean "assess"?); commands: assess, capture, verify, init, checks, explain, config, diff; see predeploy --help'],
    [['help', 'nope'], 'predeploy: unknown command "nope"; commands: assess, capture, verify, init, checks, explain, config, diff; see predeploy --help'],
    [['explain'], 'predeploy: explain needs a check id, e.g. predeploy explain security.ssh (predeploy checks lists them)'],
    [['checks', 'extra'], 'predeploy: checks takes no positional arguments (got "extra"); see predeploy help checks'],
  ])('%j', async (argv, line) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(oneLine(r.stderr)).toEqual([line]);
  });

  it('the README option table names every option', () => {
    const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
    for (const o of Object.keys(OPTIONS)) expect(readme, `--${o}`).toMatch(new RegExp(`^\\| [^|]*\`--${o}[\` ]`, 'm'));
  });

  it('never shows node’s parser text', async () => {
    const r = await cli(['assess', '--nope']);
    expect(r.stderr).not.toMatch(/Unknown option '|ERR_PARSE_ARGS|To specify a positional argument/);
  });
});

describe('explain', () => {
  it('every check has its why, and the table names no other check', () => {
    expect(Object.keys(WHY).sort()).toEqual(CHECKS.map((c) => c.meta.id).sort());
    for (const text of Object.values(WHY)) expect(text.length).toBeGreaterThan(40);
  });

  it.each(CHECKS.map((c) => [c.meta.id]))('explain %s prints what, why and how to fix', async (id) => {
    const r = await cli(['explain', id]);
    expect(r.code).toBe(0);
    const flat = r.stdout.replace(/\n {13}/g, ' ');
    expect(flat).toContain(`why:         ${WHY[id]}`);
    expect(flat).toMatch(/^fix: {9}\S/m);
    expect(flat).toMatch(/^section: {5}\d\. .* \([a-z]+\)$/m);
  });

  it.each([
    ['firewall', ['security.firewall']],
    ['fail2ban', ['security.fail2ban']],
    ['securty.ssh', ['security.ssh']],
    ['rollback', ['golive.rollback']],
    ['tls', ['security.tls-certificate', 'security.nginx-tls']],
  ])('explain %s suggests the ids it may mean (exit 2, one line)', async (word, ids) => {
    const r = await cli(['explain', word]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toHaveLength(1);
    for (const id of ids) expect(r.stderr).toContain(id);
    expect(suggestCheckIds(word, CHECKS).slice(0, ids.length).sort()).toEqual(expect.arrayContaining([...ids].sort()));
  });

  it('explain <section> lists the section’s checks; nonsense gets no guess', async () => {
    const r = await cli(['explain', 'backup']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toEqual([
      'predeploy: "backup" is a section, not a check; its checks: backup.cosmos-policy, backup.blob-versioning, backup.vm-backup, backup.recovery-procedure (predeploy explain <id>)',
    ]);
    const none = await cli(['explain', 'qqqqqqqqq']);
    expect(oneLine(none.stderr)).toEqual(['predeploy: unknown check "qqqqqqqqq" (list them with: predeploy checks)']);
  });
});

describe('checks', () => {
  it('shows each section with its id, and marks exactly the blockers', async () => {
    const r = await cli(['checks']);
    expect(r.code).toBe(0);
    for (const s of SECTIONS) expect(r.stdout).toContain(`${s.number}. ${s.title} — section id: ${s.id} `);
    const rows = catalogRows(CHECKS);
    for (const row of rows) {
      const line = r.stdout.split('\n').find((l) => l.startsWith(`  ${row.id} `));
      expect(line, row.id).toBeDefined();
      expect(line!.includes(' BLOCKER '), row.id).toBe(row.blocker);
    }
    expect(rows.some((x) => x.blocker) && rows.some((x) => !x.blocker)).toBe(true);
  });

  it('--json carries blocker and why per check', async () => {
    const rows = JSON.parse((await cli(['checks', '--json'])).stdout) as { id: string; blocker: boolean; why: string }[];
    expect(rows.find((x) => x.id === 'security.firewall')).toMatchObject({ blocker: true, why: WHY['security.firewall'] });
  });
});
