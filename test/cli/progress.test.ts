/**
 * Terminal UX: live progress on a TTY, plain lines when not a TTY or CI is set, NO_COLOR
 * honoured, --quiet, and stdout (the paste-back) never touched.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProgress, progressMode } from '../../src/cli/progress.js';
import { CannedTarget } from '../helpers/canned-target.js';
import { cli } from '../helpers/cli.js';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/;
// eslint-disable-next-line no-control-regex
const SGR = /\u001b\[[0-9;]*m/;

/** What a terminal would show, line by line, ignoring cursor movement. */
const visible = (s: string): string[] => s.replace(new RegExp(`\\r|${ANSI.source}`, 'g'), '').split('\n');

const target = () => new CannedTarget({ 'ufw status verbose': { stdout: 'Status: inactive\n' } });
const root = () => mkdtempSync(join(tmpdir(), 'predeploy-progress-'));
const ARGS = ['assess', '--offline', '--only', 'security.firewall,security.ssh,golive.uat'];

describe('progress mode', () => {
  it.each([
    [{ quiet: false, isTTY: true, env: {} }, { mode: 'tty', color: true }],
    [{ quiet: false, isTTY: true, env: { NO_COLOR: '1' } }, { mode: 'tty', color: false }],
    [{ quiet: false, isTTY: true, env: { NO_COLOR: '' } }, { mode: 'tty', color: true }],
    [{ quiet: false, isTTY: true, env: { CI: 'true' } }, { mode: 'plain', color: false }],
    [{ quiet: false, isTTY: true, env: { TERM: 'dumb' } }, { mode: 'plain', color: false }],
    [{ quiet: false, isTTY: false, env: {} }, { mode: 'plain', color: false }],
    [{ quiet: true, isTTY: true, env: {} }, { mode: 'off', color: false }],
  ])('%j → %j', (input, expected) => {
    expect(progressMode(input)).toEqual(expected);
  });
});

describe('progress display', () => {
  it('TTY: a live line per running probe, a permanent line per finished one, redrawn in place', () => {
    let out = '';
    let t = 0;
    const p = createProgress({ mode: 'tty', color: false, write: (s) => (out += s), now: () => t, columns: 60 });
    p.onProbe({ id: 'host.ufw', phase: 'start' });
    p.onProbe({ id: 'host.sshd', phase: 'start' });
    t = 1500;
    expect(visible(out).filter((l) => / running \d/.test(l))).toEqual(['  ⠋ host.ufw running 0 ms', '  ⠋ host.ufw running 0 ms', '  ⠋ host.sshd running 0 ms']);
    p.onProbe({ id: 'host.ufw', phase: 'done', ok: true, durationMs: 120 });
    p.onProbe({ id: 'host.sshd', phase: 'done', ok: false, reason: 'permission', durationMs: 30 });
    p.stop();
    // redraws move the cursor up over the live region and clear it
    expect(out).toContain('\r\u001b[3A\u001b[J');
    expect(out).toContain('  ✓ host.ufw 120 ms\n');
    expect(out).toContain('  ✗ host.sshd failed (permission) 30 ms\n');
    expect(out.endsWith('  probes: 2 done, 1 failed in 1.5 s\n')).toBe(true);
    expect(out).not.toMatch(SGR);
  });

  it('TTY with colour: SGR codes; lines cut to the terminal width', () => {
    let out = '';
    const p = createProgress({ mode: 'tty', color: true, write: (s) => (out += s), now: () => 0, columns: 24 });
    p.onProbe({ id: 'project.attestations', phase: 'start' });
    p.onProbe({ id: 'project.attestations', phase: 'done', ok: false, reason: 'timeout', durationMs: 20_000 });
    p.stop();
    expect(out).toMatch(SGR);
    for (const line of visible(out)) expect([...line].length).toBeLessThanOrEqual(23);
  });

  it('plain: one line per finished probe, no escape codes', () => {
    let out = '';
    const p = createProgress({ mode: 'plain', color: false, write: (s) => (out += s), now: () => 0 });
    p.onProbe({ id: 'host.ufw', phase: 'start' });
    p.onProbe({ id: 'host.ufw', phase: 'done', ok: true, durationMs: 120 });
    p.onProbe({ id: 'host.sshd', phase: 'done', ok: false, reason: 'not-installed', durationMs: 3 });
    p.onProbe({ id: 'project.env', phase: 'done', ok: false, reason: 'disabled', durationMs: 0 });
    p.stop();
    expect(out).toBe('probe host.ufw done 120 ms\nprobe host.sshd failed (not-installed) 3 ms\nprobe project.env skipped (disabled)\nprobes: 2 done, 1 failed, 1 skipped in 0 ms\n');
  });
});

describe('progress through the CLI (stderr only)', () => {
  it('not a TTY: plain probe lines on stderr, the paste-back alone on stdout', async () => {
    const r = await cli(ARGS, { env: { OP_ROOT: root(), OP_RUN_ID: 'p1' }, target: target() });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^probe host\.ufw done \d+ ms$/m);
    expect(r.stderr).toMatch(/^probe host\.sshd failed \(not-installed\) \d+ ms$/m);
    expect(r.stderr).toMatch(/^probe project\.attestations done \d+ ms$/m);
    expect(r.stderr).not.toMatch(ANSI);
    expect(r.stdout.startsWith('===== PREDEPLOY PASTE-BACK REPORT =====\n')).toBe(true);
    expect(r.stdout).not.toMatch(/^probe \S+ (done|failed)/m);
    expect(r.stdout).not.toMatch(ANSI);
  });

  it('TTY: live progress with colour; NO_COLOR keeps the redraw and drops the colour; CI=true is plain', async () => {
    const tty = await cli(ARGS, { env: { OP_ROOT: root(), OP_RUN_ID: 'p2' }, target: target(), isTTY: true, columns: 100 });
    expect(tty.stderr).toMatch(SGR);
    expect(tty.stderr).toContain('\u001b[J');
    expect(tty.stderr).toMatch(/✓.*host\.ufw/);
    expect(tty.stdout).not.toMatch(ANSI);

    const noColor = await cli(ARGS, { env: { OP_ROOT: root(), OP_RUN_ID: 'p3', NO_COLOR: '1' }, target: target(), isTTY: true });
    expect(noColor.stderr).toContain('\u001b[J');
    expect(noColor.stderr).not.toMatch(SGR);

    const ci = await cli(ARGS, { env: { OP_ROOT: root(), OP_RUN_ID: 'p4', CI: 'true' }, target: target(), isTTY: true });
    expect(ci.stderr).not.toMatch(ANSI);
    expect(ci.stderr).toMatch(/^probe host\.ufw done \d+ ms$/m);
  });

  it('--quiet: no progress at all', async () => {
    const r = await cli([...ARGS, '--quiet'], { env: { OP_ROOT: root(), OP_RUN_ID: 'p5' }, target: target(), isTTY: true });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/probe/);
  });
});
