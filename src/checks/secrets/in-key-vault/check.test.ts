import { describe, expect, it } from 'vitest';
import { ORDER_PROCESSING_PROFILE } from '../../../config/profile.js';
import { evaluateCheck, outcomesOf } from '../../../engine/evaluate.js';
import type { Status } from '../../../engine/types.js';
import type { EnvFile, EnvKey, EnvScan, WorldReadableScan } from '../../../facts/project.js';
import { check } from './check.js';

const now = new Date('2026-11-26T12:00:00Z');
const ctx = { config: ORDER_PROCESSING_PROFILE, now };

const key = (name: string, line: number, k: Partial<EnvKey> = {}): EnvKey => ({ name, line, secretLike: false, reference: false, empty: false, ...k });
const secret = (name: string, line: number) => key(name, line, { secretLike: true, fingerprint: 'abcd1234' });
const ref = (name: string, line: number) => key(name, line, { secretLike: true, reference: true, fingerprint: '0badf00d' });
const file = (path: string, keys: EnvKey[], mode = 0o100600, badLines: number[] = []): EnvFile => ({ path, mode, uid: 1001, gid: 1001, keys, badLines });
const scan = (...files: EnvFile[]): EnvScan => ({ files });

describe('secrets.in-key-vault', () => {
  const cases: { name: string; value?: EnvScan; failed?: string; status: Status; summary: RegExp; evidence?: string[] }[] = [
    {
      name: 'every secret-like key is a vault reference',
      value: scan(file('workflow-api/.env', [key('NODE_ENV', 1), ref('ZOHO_CLIENT_SECRET', 2), ref('ZOHO_REFRESH_TOKEN', 3)])),
      status: 'pass',
      summary: /^all 2 secret-like keys are vault references \(workflow-api\/\.env\)$/,
      evidence: ['workflow-api/.env:2 ZOHO_CLIENT_SECRET is a vault reference', 'workflow-api/.env:3 ZOHO_REFRESH_TOKEN is a vault reference'],
    },
    {
      name: 'env files with no secret-like keys',
      value: scan(file('.env', [key('NODE_ENV', 1), key('PORT', 2)])),
      status: 'pass',
      summary: /^no secret-like keys in 1 \.env file \(\.env\)$/,
    },
    {
      name: 'plaintext secrets: fail, listing file:line KEY and fingerprints only',
      value: scan(file('workflow-api/.env', [secret('ZOHO_CLIENT_SECRET', 3), ref('MICROSOFT_APP_PASSWORD', 4)], 0o100644), file('teams-bot/.env', [secret('MICROSOFT_APP_PASSWORD', 1)])),
      status: 'fail',
      summary: /^2 plaintext secrets in \.env files \(ZOHO_CLIENT_SECRET, MICROSOFT_APP_PASSWORD\); move them to Key Vault$/,
      evidence: [
        'workflow-api/.env:3 ZOHO_CLIENT_SECRET (fingerprint abcd1234)',
        'teams-bot/.env:1 MICROSOFT_APP_PASSWORD (fingerprint abcd1234)',
        'workflow-api/.env is mode 0644: readable by group/others (uid 1001, gid 1001); want 0600',
      ],
    },
    {
      name: 'empty secret-like keys are not plaintext secrets',
      value: scan(file('.env', [key('COSMOS_KEY', 1, { secretLike: true, empty: true }), ref('ZOHO_CLIENT_SECRET', 2)])),
      status: 'pass',
      summary: /^the only secret-like key is a vault reference \(\.env\)$/,
      evidence: ['.env:2 ZOHO_CLIENT_SECRET is a vault reference', '.env:1 COSMOS_KEY is empty'],
    },
    {
      name: 'references only, but the file is group-readable: warn',
      value: scan(file('.env', [ref('ZOHO_CLIENT_SECRET', 2)], 0o100640)),
      status: 'warn',
      summary: /^no plaintext secrets, but \.env \(0640\) is readable beyond the owner; chmod 600$/,
    },
    {
      name: 'a loose mode on a file with no secret-like keys does not matter',
      value: scan(file('.env', [key('NODE_ENV', 1)], 0o100644)),
      status: 'pass',
      summary: /^no secret-like keys/,
    },
    {
      name: 'unparsed lines may hide a secret: warn',
      value: scan(file('.env', [ref('ZOHO_CLIENT_SECRET', 1)], 0o100600, [4, 7])),
      status: 'warn',
      summary: /^no plaintext secrets found, but some lines could not be parsed: \.env line 4, 7$/,
    },
    {
      name: 'no env files found: unknown, never pass',
      value: scan(),
      status: 'unknown',
      summary: /^no \.env files found at \.env, \.env\.production, workflow-api\/\.env, workflow-worker\/\.env, teams-bot\/\.env; cannot tell where the services read their secrets/,
    },
    {
      name: 'probe failed: unknown with the reason',
      failed: 'cannot read .env: permission denied (EACCES); run as the service user or root',
      status: 'unknown',
      summary: /^could not verify: probe project\.env permission denied: cannot read \.env/,
    },
  ];

  it.each(cases)('$name', ({ value, failed, status, summary, evidence }) => {
    const outcomes =
      failed === undefined
        ? outcomesOf({ 'project.env': { ok: true, value: value ?? scan() }, 'project.world-readable': { ok: true, value: { rootOpenToOthers: false, findings: [], worldReadableFiles: 0, scannedFiles: 0, tooLarge: [], budgetHit: false, maxDepth: 4 } } })
        : outcomesOf({ 'project.env': { ok: false, reason: 'permission', detail: failed } });
    const r = evaluateCheck(check, outcomes, ctx);
    expect(r.status).toBe(status);
    expect(r.summary).toMatch(summary);
    // the world-readable scan (clean here) adds its own lines after the .env evidence
    if (evidence) expect(r.evidence.map((e) => e.text).filter((t) => !/world-readable file\(s\) in the project root|: mode \d+, owner uid/.test(t))).toEqual(evidence);
    expect(r.blocker).toBe(true); // critical
  });

  it('lists at most 20 keys, then a count', () => {
    const keys = Array.from({ length: 25 }, (_, i) => secret(`SECRET_${i}`, i + 1));
    const r = evaluateCheck(check, outcomesOf({ 'project.env': { ok: true, value: scan(file('.env', keys)) } }), ctx);
    expect(r.evidence.slice(0, 21)).toHaveLength(21);
    expect(r.evidence[20]?.text).toBe('… and 5 more');
    expect(r.evidence.slice(21).map((e) => e.text)).toEqual(['world-readable files not checked: the scan did not run']);
    expect(r.summary).toMatch(/^25 plaintext secrets in \.env files \(SECRET_0, SECRET_1, SECRET_2, SECRET_3, SECRET_4, …\)/);
  });

  it('evidence cites the probe’s commands-log entries', () => {
    const r = evaluateCheck(check, outcomesOf({ 'project.env': { ok: true, value: scan(file('.env', [secret('A_TOKEN', 1)])), refs: [7, 8], durationMs: 1 } }), ctx);
    expect(r.evidence[0]?.refs).toEqual([7, 8]);
  });
});

describe('secrets.in-key-vault: world-readable files in the project root', () => {
  const wr = (o: Partial<WorldReadableScan> = {}): WorldReadableScan => ({ rootOpenToOthers: true, findings: [], worldReadableFiles: 3, scannedFiles: 3, tooLarge: [], budgetHit: false, maxDepth: 4, ...o });
  const finding = { path: 'config/app.json', line: 4, kind: 'assignment' as const, key: 'password', mode: 0o100644, uid: 1001 };
  const cases: { name: string; env: EnvScan; world: WorldReadableScan | 'failed'; status: Status; summary: RegExp; evidence?: string }[] = [
    { name: 'none with secrets: the .env verdict stands, with a note', env: scan(file('.env', [ref('ZOHO_CLIENT_SECRET', 2)])), world: wr(), status: 'pass', summary: /^the only secret-like key is a vault reference/, evidence: '3 world-readable file(s) in the project root, none with secret-shaped content (3 scanned)' },
    {
      name: 'a secret in a world-readable file: fail, names and lines only',
      env: scan(file('.env', [ref('ZOHO_CLIENT_SECRET', 2)])),
      world: wr({ findings: [finding, { ...finding, path: 'deploy/notes.txt', line: 9, kind: 'zoho-token', key: undefined }] }),
      status: 'fail',
      summary: /^2 secrets in world-readable files \(config\/app\.json, deploy\/notes\.txt\): chmod o-r and move them to Key Vault$/,
      evidence: 'config/app.json:4 password (mode 0644, uid 1001): readable by every local user',
    },
    {
      name: 'plaintext .env and a world-readable secret: both in the summary',
      env: scan(file('.env', [secret('ZOHO_CLIENT_SECRET', 3)])),
      world: wr({ findings: [finding] }),
      status: 'fail',
      summary: /^1 plaintext secret in \.env files \(ZOHO_CLIENT_SECRET\); move them to Key Vault; 1 secret in world-readable files/,
    },
    {
      name: 'loose modes under a root closed to others: warn',
      env: scan(file('.env', [key('NODE_ENV', 1)])),
      world: wr({ rootOpenToOthers: false, findings: [finding] }),
      status: 'warn',
      summary: /the root is closed to others, but chmod o-r them$/,
      evidence: 'config/app.json:4 password (mode 0644, uid 1001): its mode lets others read it',
    },
    { name: 'world-readable probe failed: a clean .env is not enough, unknown with the cause', env: scan(file('.env', [key('NODE_ENV', 1)])), world: 'failed', status: 'unknown', summary: /^no secret-like keys.*; but not verified: probe project\.world-readable failed/, evidence: 'world-readable files not checked: project root is not a directory' },
    { name: 'no .env but a world-readable secret: fail', env: scan(), world: wr({ findings: [finding] }), status: 'fail', summary: /^1 secret in world-readable files/ },
  ];

  it.each(cases)('$name', ({ env, world, status, summary, evidence }) => {
    const outcomes = outcomesOf({
      'project.env': { ok: true, value: env },
      'project.world-readable': world === 'failed' ? { ok: false, reason: 'failed', detail: 'project root is not a directory' } : { ok: true, value: world },
    });
    const r = evaluateCheck(check, outcomes, ctx);
    expect(r.status).toBe(status);
    expect(r.summary).toMatch(summary);
    if (evidence !== undefined) expect(r.evidence.map((e) => e.text)).toContain(evidence);
  });

  it('states the mode and owner of every .env file that holds credentials', () => {
    const outcomes = outcomesOf({
      'project.env': { ok: true, value: scan(file('.env', [ref('ZOHO_CLIENT_SECRET', 2)]), file('other/.env', [key('NODE_ENV', 1)])) },
      'project.world-readable': { ok: true, value: wr() },
    });
    const texts = evaluateCheck(check, outcomes, ctx).evidence.map((e) => e.text);
    expect(texts).toContain('.env: mode 0600, owner uid 1001, gid 1001');
    expect(texts.some((t) => t.startsWith('other/.env:'))).toBe(false);
  });
});
