import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALLOWED_PROGRAMS, checkCommand, checkEnv, formatArgv } from '../../src/safety/command-policy.js';
import { ALLOWED, REFUSED } from './policy-cases.js';

const off = { refreshApt: false };

describe('command policy', () => {
  it('has a big enough table', () => {
    expect(ALLOWED.length).toBeGreaterThanOrEqual(30);
    // issue 11 item 7: a corpus of at least 150 mutating or escaping command lines, no duplicates
    expect(REFUSED.length).toBeGreaterThanOrEqual(150);
    expect(new Set(REFUSED.map((a) => JSON.stringify(a))).size).toBe(REFUSED.length);
    console.log(`command policy corpus: ${REFUSED.length} refused, ${ALLOWED.length} allowed command lines`);
  });

  it.each(ALLOWED.map((argv) => [formatArgv(argv), argv] as const))('allows %s', (_name, argv) => {
    expect(checkCommand(argv, off)).toEqual({ allowed: true });
  });

  it.each(REFUSED.map((argv) => [JSON.stringify(argv), argv] as const))('refuses %s', (_name, argv) => {
    const verdict = checkCommand(argv, off);
    expect(verdict.allowed).toBe(false);
    if (!verdict.allowed) expect(verdict.reason.length).toBeGreaterThan(5);
  });

  it('names the command in the reason', () => {
    expect(checkCommand(['ufw', 'enable'], off)).toEqual({ allowed: false, reason: '"ufw enable" is not on the read-only allowlist' });
    expect(checkCommand(['systemctl', 'restart', 'workflow-api'], off)).toEqual({
      allowed: false,
      reason: '"systemctl restart workflow-api" is not on the read-only allowlist',
    });
  });

  it('explains why sudo, paths, and control characters are refused', () => {
    const reason = (argv: string[]) => {
      const v = checkCommand(argv, off);
      return v.allowed ? '' : v.reason;
    };
    expect(reason(['sudo', 'ufw', 'status'])).toMatch(/runner adds `sudo -n`/);
    expect(reason(['/usr/bin/ufw', 'status'])).toMatch(/bare program name/);
    expect(reason(['ufw', 'status\nverbose'])).toMatch(/newline/);
    expect(reason([])).toBe('empty command');
  });

  it('allows apt-get update only with refreshApt, and says so', () => {
    const refused = checkCommand(['apt-get', 'update', '-qq'], off);
    expect(refused).toEqual({ allowed: false, reason: '"apt-get update -qq" refreshes the package index; allowed only with --refresh-apt' });
    expect(checkCommand(['apt-get', 'update', '-qq'], { refreshApt: true })).toEqual({ allowed: true });
    expect(checkCommand(['apt-get', 'update'], { refreshApt: true })).toEqual({ allowed: true });
    // refreshApt opens exactly that, nothing else
    expect(checkCommand(['apt-get', 'upgrade', '-y'], { refreshApt: true }).allowed).toBe(false);
    expect(checkCommand(['apt', 'update'], { refreshApt: true }).allowed).toBe(false);
  });

  it('refuses repeated options and unknown letters in bundles', () => {
    expect(checkCommand(['ss', '-tlnp', '-t'], off).allowed).toBe(false);
    expect(checkCommand(['df', '-Px'], off).allowed).toBe(false);
    expect(checkCommand(['iptables', '-nvLZ'], off).allowed).toBe(false);
  });

  it('refuses option values that look like options or are malformed', () => {
    expect(checkCommand(['sshd', '-T', '-f', '-x'], off).allowed).toBe(false);
    expect(checkCommand(['openssl', 's_client', '-connect', 'host', '-servername', 'x'], off).allowed).toBe(false);
    expect(checkCommand(['journalctl', '-u', 'x', '-n', 'lots', '--no-pager'], off).allowed).toBe(false);
    expect(checkCommand(['systemctl', 'show', 'nginx', '-p', 'A;B'], off).allowed).toBe(false);
  });

  it('cites a man page (or the vendor reference) next to every allowed program', () => {
    const source = readFileSync(new URL('../../src/safety/command-policy.ts', import.meta.url), 'utf8');
    const table = source.slice(source.indexOf('const ALLOWLIST'), source.indexOf('/** The programs that have at least one allowed shape'));
    for (const program of ALLOWED_PROGRAMS) {
      const key = /^[a-z0-9]+$/.test(program) ? `\n  ${program}: ` : `\n  '${program}': `;
      const at = table.indexOf(key);
      expect(at, program).toBeGreaterThan(0);
      // the comment block right above the row
      const lines = table.slice(0, at).split('\n');
      const block: string[] = [];
      for (let i = lines.length - 1; i >= 0 && (lines[i] ?? '').trim().startsWith('//'); i--) block.push(lines[i] ?? '');
      const comment = block.join(' ');
      expect(comment, program).toMatch(/[a-z0-9-]+\([1-8]\)|learn\.microsoft\.com|iptables\(8\)/);
    }
  });

  it('lists the programs it knows', () => {
    expect(ALLOWED_PROGRAMS).toContain('ufw');
    expect(ALLOWED_PROGRAMS).not.toContain('sh');
    expect(ALLOWED_PROGRAMS).not.toContain('sudo');
  });

  it('lets through only harmless environment variables', () => {
    expect(checkEnv(undefined)).toEqual({ allowed: true });
    expect(checkEnv({ LC_ALL: 'C', TZ: 'UTC', AZURE_CORE_COLLECT_TELEMETRY: 'false' })).toEqual({ allowed: true });
    for (const key of ['PATH', 'LD_PRELOAD', 'PAGER', 'BASH_ENV', 'NODE_OPTIONS', 'EDITOR']) {
      expect(checkEnv({ [key]: 'x' }).allowed, key).toBe(false);
    }
    expect(checkEnv({ SYSTEMD_PAGER: 'sh -c id' }).allowed).toBe(false);
  });

  it('quotes argv for display', () => {
    expect(formatArgv(['stat', '-c', '%a %U', "/x/it's"])).toBe(`stat -c '%a %U' '/x/it'\\''s'`);
  });
});
