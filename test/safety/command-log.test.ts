import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../src/engine/types.js';
import { CommandLog, formatLogEntry } from '../../src/safety/command-log.js';
import { Redactor } from '../../src/safety/redactor.js';

/** A clock that moves 10 ms each time it is read. */
function steppingClock(start = Date.parse('2026-11-26T10:00:00.000Z')) {
  let t = start - 10;
  return () => new Date((t += 10));
}

describe('CommandLog', () => {
  it('numbers entries 1.. in the order they began, whatever order they finish', () => {
    const log = new CommandLog(new Redactor(), { now: steppingClock() });
    const a = log.begin({ kind: 'exec', target: 'local', action: 'ufw status' });
    const b = log.begin({ kind: 'http', target: 'local', action: 'GET https://x/health', probe: 'web.health' });
    const c = log.begin({ kind: 'read', target: 'local', action: '/etc/ssh/sshd_config' });
    c.finish('ok', '120 bytes', 1);
    a.finish('0', 'Status: active\n', 30);
    b.finish('200', 'ok', 12);
    expect([a.seq, b.seq, c.seq]).toEqual([1, 2, 3]);
    const entries = log.entries();
    expect(entries.map((e) => [e.seq, e.action, e.result])).toEqual([
      [1, 'ufw status', '0'],
      [2, 'GET https://x/health', '200'],
      [3, '/etc/ssh/sshd_config', 'ok'],
    ]);
    expect(entries[0]?.time).toBe('2026-11-26T10:00:00.000Z');
    expect(entries[1]?.probe).toBe('web.health');
    expect(entries[0]).not.toHaveProperty('probe');
  });

  it('shows unfinished entries as interrupted, with the time so far', () => {
    const log = new CommandLog(new Redactor(), { now: steppingClock() });
    log.begin({ kind: 'exec', target: 'local', action: 'sleep 30' });
    const [e] = log.entries();
    expect(e?.result).toBe('interrupted');
    expect(e?.durationMs).toBeGreaterThan(0);
    expect(e?.output).toBe('');
  });

  it('keeps the first finish and ignores later ones', () => {
    const log = new CommandLog(new Redactor());
    const h = log.begin({ kind: 'exec', target: 'local', action: 'id -u' });
    h.finish('0', '0\n', 3);
    h.finish('1', 'again', 9);
    expect(log.entries()[0]).toMatchObject({ result: '0', output: '0\n', durationMs: 3 });
  });

  it('returns snapshots: changing one does not change the log', () => {
    const log = new CommandLog(new Redactor());
    log.begin({ kind: 'exec', target: 'local', action: 'id' }).finish('0', 'x', 1);
    const first = log.entries()[0] as LogEntry;
    first.output = 'tampered';
    expect(log.entries()[0]?.output).toBe('x');
  });

  it('redacts action and output when they are written', () => {
    const redactor = new Redactor();
    const log = new CommandLog(redactor);
    redactor.addSecret('hunter2hunter2');
    const h = log.begin({ kind: 'http', target: 'local', action: 'GET https://u:hunter2hunter2@x/?client_secret=abc123456' });
    h.finish('200', '{"access_token":"tok-123456789","note":"hunter2hunter2"}', 5);
    const [e] = log.entries();
    expect(e?.action).toBe('GET https://u:[REDACTED]@x/?client_secret=[REDACTED:client-secret]');
    expect(e?.output).toBe('{"access_token":"[REDACTED:access-token]","note":"[REDACTED]"}');
  });

  it('hides a secret learned after the entry was written', () => {
    const redactor = new Redactor();
    const log = new CommandLog(redactor);
    log.begin({ kind: 'http', target: 'local', action: 'POST https://x/token' }).finish('200', 'opaque-token-value-987 issued', 5);
    redactor.addSecret('opaque-token-value-987');
    expect(log.entries()[0]?.output).toBe('[REDACTED] issued');
  });

  it('caps output after redacting and says how much was cut', () => {
    const log = new CommandLog(new Redactor(), { maxOutputBytes: 100 });
    log.begin({ kind: 'exec', target: 'local', action: 'big' }).finish('0', 'x'.repeat(1000), 1);
    log.begin({ kind: 'exec', target: 'local', action: 'utf8' }).finish('0', 'é'.repeat(100), 1);
    const [big, utf8] = log.entries();
    expect(big?.output).toBe(`${'x'.repeat(100)}\n[... 900 bytes cut]`);
    // 200 bytes of two-byte characters: 50 kept whole, no broken character
    expect(utf8?.output).toBe(`${'é'.repeat(50)}\n[... 100 bytes cut]`);
  });

  it('lists the file reads of one probe for its findings, without stat and list look-ups or other probes', () => {
    const log = new CommandLog(new Redactor());
    log.begin({ kind: 'read', target: 'local', action: '/etc/nginx/nginx.conf', probe: 'host.nginx' }).finish('ok', '', 1);
    log.begin({ kind: 'read', target: 'local', action: 'stat /etc/nginx', probe: 'host.nginx' }).finish('ok', '', 1);
    log.begin({ kind: 'exec', target: 'local', action: 'nginx -T', probe: 'host.nginx' }).finish('0', '', 1);
    log.begin({ kind: 'read', target: 'local', action: 'list /etc/nginx/sites-enabled', probe: 'host.nginx' }).finish('ok', '', 1);
    log.begin({ kind: 'read', target: 'local', action: '/etc/ssh/sshd_config', probe: 'host.sshd' }).finish('ok', '', 1);
    log.begin({ kind: 'read', target: 'local', action: '/etc/nginx/sites-enabled/app', probe: 'host.nginx' });
    expect(log.readsOf('host.nginx')).toEqual([1, 6]);
    expect(log.readsOf('host.sshd')).toEqual([5]);
    expect(log.readsOf('host.ufw')).toEqual([]);
  });

  it('defaults to a 16 KiB cap', () => {
    const log = new CommandLog(new Redactor());
    log.begin({ kind: 'exec', target: 'local', action: 'big' }).finish('0', 'y'.repeat(20000), 1);
    expect(log.entries()[0]?.output).toBe(`${'y'.repeat(16384)}\n[... ${20000 - 16384} bytes cut]`);
  });
});

describe('formatLogEntry', () => {
  const base: LogEntry = {
    seq: 7,
    time: '2026-11-26T10:00:00.000Z',
    target: 'local',
    kind: 'exec',
    action: 'ufw status verbose',
    result: '0',
    durationMs: 35,
    output: 'Status: active\nLogging: on (low)\n',
    probe: 'host.ufw',
  };

  it('writes a greppable header and the output indented by two spaces', () => {
    expect(formatLogEntry(base)).toBe(
      '#7 2026-11-26T10:00:00.000Z local exec ufw status verbose → 0 (35 ms) probe=host.ufw\n' +
        '  Status: active\n' +
        '  Logging: on (low)\n',
    );
  });

  it('writes only the header when there is no output or probe', () => {
    const { probe: _p, ...noProbe } = base;
    expect(formatLogEntry({ ...noProbe, output: '' })).toBe('#7 2026-11-26T10:00:00.000Z local exec ufw status verbose → 0 (35 ms)\n');
  });

  it('keeps every header on one line and escapes terminal control characters', () => {
    const text = formatLogEntry({ ...base, action: 'a\nb', output: 'red \x1b[31mtext\r\nline2' });
    const lines = text.split('\n');
    expect(lines[0]).toContain('exec a\\nb →');
    expect(lines[1]).toBe('  red \\x1b[31mtext');
    expect(lines[2]).toBe('  line2');
    expect(text).not.toContain('\x1b');
    expect(lines.filter((l) => l.startsWith('#'))).toHaveLength(1);
  });
});

describe('CommandLog sink (the streamed commands log)', () => {
  it('hands each entry over once, when final: at finish without a probe, at release with one', () => {
    const got: LogEntry[] = [];
    const log = new CommandLog(new Redactor(), { now: steppingClock(), sink: { append: (e) => got.push(e) } });
    const a = log.begin({ kind: 'exec', target: 'local', action: 'ufw status', probe: 'host.ufw' });
    const b = log.begin({ kind: 'read', target: 'local', action: '/etc/hosts' });
    const c = log.begin({ kind: 'exec', target: 'local', action: 'ss -tlnp', probe: 'host.listening' });
    b.finish('ok', '12 bytes', 1);
    a.finish('0', 'Status: active\n', 5);
    expect(got.map((e) => e.seq)).toEqual([2]);
    log.release('host.ufw');
    expect(got.map((e) => e.seq)).toEqual([2, 1]);
    // released before it finished: handed over at finish; a second finish or release adds nothing
    log.release('host.listening');
    expect(got.map((e) => e.seq)).toEqual([2, 1]);
    c.finish('0', 'LISTEN\n', 3);
    c.finish('1', 'again', 3);
    log.release('host.listening');
    expect(got.map((e) => [e.seq, e.result])).toEqual([
      [2, 'ok'],
      [1, '0'],
      [3, '0'],
    ]);
  });

  it('a secret the probe learns from its own output is redacted before the entry reaches the sink', () => {
    const got: string[] = [];
    const redactor = new Redactor();
    const log = new CommandLog(redactor, { sink: { append: (e) => got.push(formatLogEntry(e)) } });
    const e = log.begin({ kind: 'exec', target: 'local', action: 'crontab -l', probe: 'host.backup-jobs' });
    e.finish('0', '0 3 * * * backup --secret-word s3cr3t-value-42\n', 4);
    // the probe parses the output, recognises the secret, registers it — then is done
    redactor.addSecret('s3cr3t-value-42');
    log.release('host.backup-jobs');
    expect(got).toHaveLength(1);
    expect(got[0]).not.toContain('s3cr3t-value-42');
    expect(got[0]).toMatch(/\[REDACTED(:[a-z-]+)?\]/);
  });
});
