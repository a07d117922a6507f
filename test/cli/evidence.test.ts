/**
 * Evidence an auditor can check (issue 13): capture → replay with the same verdicts, a
 * tamper-evident run folder and bundle (`predeploy verify`), SSH signatures, and no secret in
 * a bundle. Driven through the CLI in-process; the host is this machine (offline) or canned.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { comparableResults } from '../../src/evidence/compare.js';
import type { CheckResult, LogEntry } from '../../src/engine/types.js';
import { readTarGz } from '../../src/evidence/tar.js';
import { CannedTarget } from '../helpers/canned-target.js';
import { cli } from '../helpers/cli.js';

const ENV_SECRET = 'canaryEnvSecret-9f8e7d6c5b4a';
const DB_PASSWORD = 'canary db pw 4411 spaced';
const OUTPUT_TOKEN = '1000.0utputc4n4ry99887766.ffeeddccbbaa99887766554433221100';
const BEARER = 'canaryBearerTokenValue0123456789abcdef';
const CANARIES = [ENV_SECRET, DB_PASSWORD, OUTPUT_TOKEN, BEARER];

/** Every form the redactor covers: raw, base64 (any alignment core), URL-encoded, JSON-escaped. */
function forms(secret: string): string[] {
  const b = Buffer.from(secret, 'utf8');
  return [
    secret,
    encodeURIComponent(secret),
    encodeURIComponent(secret).replace(/%20/g, '+'),
    JSON.stringify(secret).slice(1, -1),
    b.toString('base64').replace(/=+$/, ''),
    b.toString('base64url'),
    b.subarray(3, 3 + Math.floor((b.length - 3) / 3) * 3).toString('base64'),
  ].filter((f, i, all) => f.length >= 8 && all.indexOf(f) === i);
}

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'predeploy-evidence-'));
  writeFileSync(join(dir, '.env'), `ZOHO_CLIENT_SECRET=${ENV_SECRET}\nDB_PASSWORD="${DB_PASSWORD}"\nNODE_ENV=production\n`, { mode: 0o600 });
  return dir;
}

/** Commands whose outputs carry the secrets, in the encodings a tool might print them in. */
const leakyTarget = () =>
  new CannedTarget({
    'ufw status verbose': { stdout: `Status: inactive\n# Authorization: Bearer ${BEARER}\n` },
    'ss -tlnp': { stdout: 'State Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n', stderr: `env ZOHO_CLIENT_SECRET=${ENV_SECRET} refresh=${OUTPUT_TOKEN}\n` },
    'sshd -T': { stdout: `port 22\n# b64 ${Buffer.from(`x:${ENV_SECRET}`).toString('base64')} url ${encodeURIComponent(DB_PASSWORD)}\n` },
    'fail2ban-client status': { exitCode: 255, stderr: `ERROR ${JSON.stringify({ password: DB_PASSWORD, note: ENV_SECRET })}\n` },
  });

function filesUnder(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) Object.assign(out, filesUnder(p, `${prefix}${e.name}/`));
    else out[`${prefix}${e.name}`] = readFileSync(p, 'latin1');
  }
  return out;
}

/** The entries of a commands log as `compare.ts` needs them: from its header lines. */
function logEntries(text: string): Pick<LogEntry, 'seq' | 'kind' | 'action' | 'probe'>[] {
  const out: Pick<LogEntry, 'seq' | 'kind' | 'action' | 'probe'>[] = [];
  for (const line of text.split('\n')) {
    const m = /^#(\d+) \S+ \S+ (exec|http|read|refused) (.*) → .*? \(\d+ ms\)(?: probe=(\S+))?$/.exec(line);
    if (m) out.push({ seq: Number(m[1]), kind: m[2] as LogEntry['kind'], action: m[3] ?? '', ...(m[4] !== undefined ? { probe: m[4] } : {}) });
  }
  return out;
}

interface ReportJson {
  results: CheckResult[];
  score: number | null;
  verdict: string;
}
function comparable(report: ReportJson, log: string) {
  return { results: comparableResults(report.results, logEntries(log)), score: report.score, verdict: report.verdict };
}

describe('capture → replay (this machine, offline)', () => {
  it('replays the capture with the same statuses, summaries, evidence, score and verdict — from a folder and from a .tar.gz', async () => {
    const root = project();
    const work = mkdtempSync(join(tmpdir(), 'predeploy-capture-'));
    const bundle = join(work, 'bundle');
    const cap = await cli(['capture', '--root', root, '--out', bundle, '--offline', '--quiet'], { env: { OP_RUN_ID: 'cap' } });
    expect(cap.code, cap.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8')) as { formatVersion: number; createdAt: string; root: string; probes: string[] };
    expect(manifest.formatVersion).toBe(1);
    expect(manifest.root).toBe(root);
    expect(manifest.probes).toContain('host.sshd');
    const captured = JSON.parse(readFileSync(join(bundle, 'report.json'), 'utf8')) as ReportJson & { meta: { startedAt: string } };
    expect(captured.meta.startedAt).toBe(manifest.createdAt);

    const archived = join(work, 'bundle2');
    const cap2 = await cli(['assess', '--root', root, '--offline', '--quiet', '--out', join(work, 'runs'), '--capture', archived, '--archive'], { env: { OP_RUN_ID: 'cap2' } });
    expect(cap2.code, cap2.stderr).toBe(0);
    // GNU tar reads the archive
    expect(execFileSync('tar', ['-tzf', `${archived}.tar.gz`], { encoding: 'utf8' })).toContain('probes/host.sshd.json');

    for (const [source, runId] of [[bundle, 'replay-folder'], [`${archived}.tar.gz`, 'replay-archive']] as const) {
      const rep = await cli(['assess', '--target', `replay:${source}`, '--out', join(work, 'replays'), '--quiet'], { env: { OP_RUN_ID: runId } });
      expect(rep.code, rep.stderr).toBe(0);
      const dir = join(work, 'replays', runId);
      const replayed = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as ReportJson & { meta: { startedAt: string; target: string } };
      const originalFiles = source === bundle ? { report: readFileSync(join(bundle, 'report.json'), 'utf8'), log: readFileSync(join(bundle, 'commands.log'), 'utf8') } : (() => {
        const t = readTarGz(readFileSync(source));
        return { report: t.get('report.json')?.toString('utf8') ?? '', log: t.get('commands.log')?.toString('utf8') ?? '' };
      })();
      const before = comparable(JSON.parse(originalFiles.report) as ReportJson, originalFiles.log);
      const after = comparable(replayed, readFileSync(join(dir, '13_PRODUCTION_DEPLOY_COMMANDS.log'), 'utf8'));
      expect(after).toEqual(before);
      expect(before.results.some((r) => r.evidence.some((e) => e.refs.length > 0))).toBe(true);
      // judged as of the capture
      expect(replayed.meta.target).toBe(`replay:${source}`);
      expect((await cli(['verify', dir])).code).toBe(0);
    }
    // four whole-machine runs on a shared 2-core box: a generous bound, not a timing assertion
  }, 240_000);

  it('a call the bundle lacks fails its probe "not in capture": its checks are unknown, never pass', async () => {
    const root = project();
    const work = mkdtempSync(join(tmpdir(), 'predeploy-capture-'));
    const bundle = join(work, 'b');
    expect((await cli(['capture', '--root', root, '--out', bundle, '--offline', '--quiet', '--only', 'security.ssh'], { env: { OP_RUN_ID: 'c' } })).code).toBe(0);
    const file = join(bundle, 'probes', 'host.sshd.json');
    const rec = JSON.parse(readFileSync(file, 'utf8')) as { calls: { op: string }[] };
    rec.calls = rec.calls.filter((c) => c.op !== 'exec');
    writeFileSync(file, JSON.stringify(rec));
    const rep = await cli(['assess', '--target', `replay:${bundle}`, '--out', join(work, 'r'), '--quiet'], { env: { OP_RUN_ID: 'r' } });
    const report = JSON.parse(readFileSync(join(work, 'r', 'r', 'report.json'), 'utf8')) as ReportJson;
    const ssh = report.results.find((r) => r.id === 'security.ssh');
    expect(ssh?.status).toBe('unknown');
    expect(JSON.stringify(ssh)).toContain('not in capture');
    expect(rep.code).toBe(0);
  });

  it('bad replay input: one line, exit 2', async () => {
    const r = await cli(['assess', '--target', 'replay:/nonexistent/bundle'], {});
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect((await cli(['assess', '--target', 'ssh-nope'], {})).code).toBe(2);
  });
});

describe('a bundle holds no secret', () => {
  it('none of the canaries from .env and command outputs, in any encoding the redactor covers, in any bundle file', async () => {
    const root = project();
    const work = mkdtempSync(join(tmpdir(), 'predeploy-capture-'));
    const r = await cli(['assess', '--root', root, '--offline', '--quiet', '--out', join(work, 'runs'), '--capture', join(work, 'bundle')], { env: { OP_RUN_ID: 'canary' }, target: leakyTarget() });
    expect(r.code, r.stderr).toBe(0);
    const texts = filesUnder(join(work, 'bundle'));
    expect(Object.keys(texts).length).toBeGreaterThan(10);
    const found: string[] = [];
    for (const [name, text] of Object.entries(texts)) for (const c of CANARIES) for (const f of forms(c)) if (text.includes(f)) found.push(`${c.slice(0, 10)}… as ${f.slice(0, 12)}… in ${name}`);
    expect(found).toEqual([]);
    // and the outputs were recorded (redacted), not dropped
    const ufw = texts['probes/host.ufw.json'] ?? '';
    expect(ufw).toContain('Status: inactive');
    expect(ufw).toContain('[REDACTED');
    expect(texts['probes/project.env.json']).toContain('ZOHO_CLIENT_SECRET');
  });
});

/** A fresh run folder and bundle to tamper with. */
async function sealed(o: { sign?: string } = {}): Promise<{ run: string; bundle: string }> {
  const root = project();
  const work = mkdtempSync(join(tmpdir(), 'predeploy-verify-'));
  const bundle = join(work, 'bundle');
  const args = ['assess', '--root', root, '--offline', '--quiet', '--out', join(work, 'runs'), '--capture', bundle, '--only', 'security,secrets', ...(o.sign ? ['--sign-with', o.sign] : [])];
  const r = await cli(args, { env: { OP_RUN_ID: 'v' }, target: leakyTarget() });
  expect(r.code, r.stderr).toBe(0);
  return { run: join(work, 'runs', 'v'), bundle };
}

const LOG = '13_PRODUCTION_DEPLOY_COMMANDS.log';

/** The log's entry blocks (header line to hash line) and the text around them. */
function blocks(text: string): { head: string; entries: string[] } {
  const parts = text.split(/\n(?=#\d+ )/);
  return { head: parts[0] ?? '', entries: parts.slice(1) };
}
const join2 = (b: { head: string; entries: string[] }) => [b.head, ...b.entries].join('\n');

async function verify(path: string, extra: string[] = []) {
  return cli(['verify', path, ...extra]);
}

describe('predeploy verify', () => {
  it('an untouched run folder and bundle verify (sha256sum -c agrees)', async () => {
    const { run, bundle } = await sealed();
    for (const p of [run, bundle]) {
      const r = await verify(p);
      expect([r.code, r.stdout]).toEqual([0, expect.stringContaining('verifies')]);
      expect(execFileSync('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: p, encoding: 'utf8' })).toBe('');
    }
    const report = JSON.parse(readFileSync(join(run, 'report.json'), 'utf8')) as { logChain: { head: string; entries: { hash: string }[] } };
    expect(report.logChain.head).toBe(report.logChain.entries.at(-1)?.hash);
    expect(readFileSync(join(run, '13_PRODUCTION_DEPLOY_REPORT.md'), 'utf8')).toContain(report.logChain.head);
    expect(readFileSync(join(run, LOG), 'utf8')).toMatch(/^@ prev=0{64} sha256=[0-9a-f]{64}$/m);
  });

  type Tamper = [string, (run: string, bundle: string) => string, RegExp];
  const edit = (file: string, f: (text: string) => string) => writeFileSync(file, f(readFileSync(file, 'utf8')));
  const TAMPERS: Tamper[] = [
    ['one byte changed in a log entry', (run) => (edit(join(run, LOG), (t) => t.replace(/\(\d+ ms\)/, (m) => m.replace(/\d/, (d) => String((Number(d) + 1) % 10)))), run), /entry #1 does not match its hash/],
    ['a log entry deleted', (run) => (edit(join(run, LOG), (t) => { const b = blocks(t); b.entries.splice(1, 1); return join2(b); }), run), /entry #3 where #2 was expected/],
    ['a log entry inserted', (run) => (edit(join(run, LOG), (t) => { const b = blocks(t); b.entries.splice(1, 0, b.entries[1] ?? ''); return join2(b); }), run), /entry #2 where #3 was expected|entry #2 does not follow/],
    ['two log entries reordered', (run) => (edit(join(run, LOG), (t) => { const b = blocks(t); const [x, y] = [b.entries[1] ?? '', b.entries[2] ?? '']; b.entries[1] = y; b.entries[2] = x; return join2(b); }), run), /entry #3 where #2 was expected/],
    ['the last log entry cut off (the chain alone still holds)', (run) => (edit(join(run, LOG), (t) => { const b = blocks(t); b.entries.pop(); return join2(b).replace(/\n*$/, '\n'); }), run), /report\.json: the chain it records differs/],
    ['one byte changed in report.json', (run) => (edit(join(run, 'report.json'), (t) => t.replace('"verdict": "', '"verdict": " ')), run), /report\.json does not match its SHA-256/],
    ['one byte changed in a captured output', (_run, bundle) => (edit(join(bundle, 'probes', 'host.ufw.json'), (t) => t.replace('inactive', 'active!!')), bundle), /probes\/host\.ufw\.json does not match its SHA-256/],
    ['a file added to the run folder', (run) => (writeFileSync(join(run, 'extra.txt'), 'x'), run), /extra\.txt is not listed in SHA256SUMS/],
  ];

  it.each(TAMPERS)('catches %s: exit 1 naming it', async (_name, tamper, expected) => {
    const { run, bundle } = await sealed();
    const path = tamper(run, bundle);
    const r = await verify(path);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(expected);
    expect(r.stderr.split('\n')[1]).toMatch(expected);
  });
});

describe('SSH signatures (ssh-keygen -Y, namespace predeploy)', () => {
  function keypair(dir: string, name: string): string {
    const key = join(dir, name);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', key]);
    return key;
  }
  function allowed(dir: string, principal: string, key: string): string {
    const file = join(dir, `allowed-${principal}`);
    writeFileSync(file, `${principal} namespaces="predeploy" ${readFileSync(`${key}.pub`, 'utf8')}`);
    return file;
  }

  it('a good signature verifies; one by a key not in allowed-signers → exit 1; unsigned with --allowed-signers → exit 1', async () => {
    const keys = mkdtempSync(join(tmpdir(), 'predeploy-keys-'));
    const auditor = keypair(keys, 'auditor');
    const other = keypair(keys, 'other');
    const { run, bundle } = await sealed({ sign: auditor });
    expect(statSync(join(run, 'SHA256SUMS.sig')).isFile()).toBe(true);
    const good = await verify(run, ['--allowed-signers', allowed(keys, 'auditor@example.test', auditor)]);
    expect([good.code, good.stdout]).toEqual([0, expect.stringContaining('signature: good, by auditor@example.test')]);
    expect((await verify(bundle, ['--allowed-signers', allowed(keys, 'auditor@example.test', auditor)])).code).toBe(0);

    const stranger = await verify(run, ['--allowed-signers', allowed(keys, 'other@example.test', other)]);
    expect(stranger.code).toBe(1);
    expect(stranger.stderr).toMatch(/signed by a key that is not in/);

    const unsigned = await sealed();
    const none = await verify(unsigned.run, ['--allowed-signers', allowed(keys, 'auditor@example.test', auditor)]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/SHA256SUMS\.sig is missing/);
  });

  it('a signed SHA256SUMS that was edited afterwards does not verify', async () => {
    const keys = mkdtempSync(join(tmpdir(), 'predeploy-keys-'));
    const auditor = keypair(keys, 'auditor');
    const { run } = await sealed({ sign: auditor });
    // re-seal after changing the report: SHA256SUMS matches again, the signature no longer does
    edit2(join(run, 'report.json'));
    const sums = readFileSync(join(run, 'SHA256SUMS'), 'utf8').replace(/^[0-9a-f]{64}(?= {2}report\.json$)/m, execFileSync('sha256sum', [join(run, 'report.json')], { encoding: 'utf8' }).slice(0, 64));
    writeFileSync(join(run, 'SHA256SUMS'), sums);
    const r = await verify(run, ['--allowed-signers', allowed(keys, 'auditor@example.test', auditor)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/SHA256SUMS\.sig: does not verify/);
  });
});

function edit2(file: string): void {
  writeFileSync(file, readFileSync(file, 'utf8').replace('"verdict": "', '"verdict": "X'));
}
