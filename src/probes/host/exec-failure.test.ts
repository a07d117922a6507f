import { describe, expect, it } from 'vitest';
import type { ExecResult } from '../../engine/types.js';
import { hostFixture } from '../../../test/probes/fixture.js';
import { execFailure, firstLine } from './exec-failure.js';

const UFW = { program: 'ufw', debianPackage: 'ufw' };
const base: ExecResult = { seq: 1, exitCode: 0, signal: null, stdout: '', stderr: '', timedOut: false, truncated: false, durationMs: 3 };
const run = (over: Partial<ExecResult>): ExecResult => ({ ...base, ...over });

describe('execFailure', () => {
  it.each([
    ['success', run({ stdout: 'Status: inactive\n' }), undefined],
    ['refused by the policy', run({ refused: 'not on the allowlist', exitCode: null }), 'failed'],
    ['timed out', run({ timedOut: true, exitCode: null, signal: 'SIGKILL' }), 'timeout'],
    ['program missing (ENOENT)', run({ spawnError: 'ENOENT', exitCode: null }), 'not-installed'],
    ['exit 127', run({ exitCode: 127 }), 'not-installed'],
    ['sudo: command not found', run({ exitCode: 1, stderr: 'sudo: ufw: command not found\n' }), 'not-installed'],
    ['sudo -n needs a password', run({ exitCode: 1, stderr: 'sudo: a password is required\n' }), 'permission'],
    ['ufw as a user (captured)', run({ exitCode: 1, stderr: hostFixture('ufw/not-root.stderr.txt') }), 'permission'],
    ['fail2ban socket root-only', run({ exitCode: 255, stderr: 'ERROR   Permission denied to socket: /var/run/fail2ban/fail2ban.sock, (you must be root)\n' }), 'permission'],
    ['other non-zero exit', run({ exitCode: 255, stderr: hostFixture('sshd/missing-privsep-dir.stderr.txt') }), 'failed'],
    ['killed by a signal', run({ exitCode: null, signal: 'SIGSEGV' }), 'failed'],
  ])('%s', (_name, result, reason) => {
    expect(execFailure(result, UFW)?.reason).toBe(reason);
  });

  it('says which package to install', () => {
    expect(execFailure(run({ spawnError: 'ENOENT', exitCode: null }), UFW)?.detail).toBe('ufw not found (install the Debian/Ubuntu package ufw)');
  });

  it('quotes the first stderr line, without the \\r sshd adds', () => {
    expect(execFailure(run({ exitCode: 255, stderr: hostFixture('sshd/missing-privsep-dir.stderr.txt') }), { program: 'sshd', debianPackage: 'openssh-server' })?.detail).toBe(
      'sshd (exit 255): Missing privilege separation directory: /run/sshd',
    );
  });
});

describe('firstLine', () => {
  it('skips blank lines and trims', () => {
    expect(firstLine('\n\r\n  WARNING: x  \r\nnext')).toBe('WARNING: x');
    expect(firstLine('')).toBeUndefined();
  });
});
