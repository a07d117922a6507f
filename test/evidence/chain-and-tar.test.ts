import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTarGz, writeTarGz } from '../../src/evidence/tar.js';
import { verifyLogText } from '../../src/evidence/verify.js';
import { CommandLog, formatLogEntry } from '../../src/safety/command-log.js';
import { entryHash, GENESIS_HASH } from '../../src/safety/log-chain.js';
import { Redactor } from '../../src/safety/redactor.js';

function log(): CommandLog {
  const l = new CommandLog(new Redactor(), { now: () => new Date('2026-12-01T00:00:00Z') });
  l.begin({ kind: 'exec', target: 'local', action: 'ufw status verbose', probe: 'host.ufw' }).finish('0', 'Status: active\n', 3);
  l.begin({ kind: 'read', target: 'local', action: '/etc/ssh/sshd_config' }).finish('ok', '120 bytes', 1);
  l.begin({ kind: 'http', target: 'local', action: 'GET https://x/health' }).finish('200', '', 9);
  return l;
}

describe('the commands log hash chain', () => {
  it('chains each entry to the one before, over its block as the log shows it', () => {
    const entries = log().entries();
    expect(entries[0]?.prevHash).toBe(GENESIS_HASH);
    for (const [i, e] of entries.entries()) {
      if (i > 0) expect(e.prevHash).toBe(entries[i - 1]?.hash);
      const { prevHash: _p, hash: _h, ...plain } = e;
      expect(e.hash).toBe(entryHash(e.prevHash ?? '', formatLogEntry(plain)));
      expect(formatLogEntry(e)).toMatch(new RegExp(`\\n@ prev=${e.prevHash} sha256=${e.hash}\\n$`));
    }
    const text = entries.map(formatLogEntry).join('\n');
    expect(verifyLogText(text, 'log')).toEqual({ entries: entries.map((e) => ({ seq: e.seq, prevHash: e.prevHash, hash: e.hash })), problems: [] });
  });

  it('a changed byte, a dropped entry and swapped entries are each named', () => {
    const blocks = log().entries().map(formatLogEntry);
    expect(verifyLogText(blocks.join('\n').replace('active', 'activE'), 'log').problems).toEqual(['log: entry #1 does not match its hash (its text was changed)']);
    expect(verifyLogText([blocks[0], blocks[2]].join('\n'), 'log').problems[0]).toMatch(/entry #3 where #2 was expected/);
    expect(verifyLogText([blocks[1], blocks[0], blocks[2]].join('\n'), 'log').problems[0]).toMatch(/entry #2 where #1 was expected/);
  });
});

describe('tar.gz', () => {
  it('round-trips files, long names included, and GNU tar reads what it writes', () => {
    const long = `${'d'.repeat(120)}/probes/host.sshd.json`;
    const files = new Map<string, string>([['manifest.json', '{"a":1}\n'], [long, 'x'.repeat(1000)], ['empty', '']]);
    const gz = writeTarGz(files, Date.parse('2026-12-01T00:00:00Z'));
    expect(new Map([...readTarGz(gz)].map(([k, v]) => [k, v.toString('utf8')]))).toEqual(files);
    const dir = mkdtempSync(join(tmpdir(), 'predeploy-tar-'));
    writeFileSync(join(dir, 'b.tar.gz'), gz);
    execFileSync('tar', ['-xzf', 'b.tar.gz'], { cwd: dir });
    expect(readFileSync(join(dir, long), 'utf8')).toBe('x'.repeat(1000));
  });

  it('refuses a damaged archive', () => {
    const gz = writeTarGz(new Map([['a', 'b']]), 0);
    expect(() => readTarGz(gz.subarray(0, 20))).toThrow();
  });
});
