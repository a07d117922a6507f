/**
 * One place that turns a failed command into a probe failure value (docs/ARCHITECTURE.md invariant 3: a
 * failed, timed-out or refused command is a value, never an exception). Every host probe maps
 * its ExecResult through {@link execFailure} so the same symptom gets the same reason everywhere.
 */
import type { ExecResult, ProbeFailure } from '../../engine/types.js';

export type { ProbeFailure };

/** The program a probe runs and the Debian/Ubuntu package that provides it (for the not-installed hint). */
export interface ProgramInfo {
  program: string;
  debianPackage: string;
}

/**
 * Messages that mean "not allowed", not "broken":
 * - sudo -n without a NOPASSWD rule: `sudo: a password is required` (sudo(8), "-n" option);
 *   `sudo: a terminal is required to read the password`
 * - ufw run as a user: `ERROR: You need to be root to run this script`
 * - fail2ban-client on a root-only socket: `Permission denied to socket: ..., (you must be root)`
 * - plain EACCES / EPERM text from any tool
 */
const PERMISSION_PATTERNS: readonly RegExp[] = [
  /a password is required/i,
  /a terminal is required/i,
  /permission denied/i,
  /must be root/i,
  /need to be root/i,
  /operation not permitted/i,
];

/** `sudo -n` without a NOPASSWD rule (sudo(8), "-n"): the run needs root or a sudoers rule. */
const SUDO_PASSWORD = /^sudo: (a password is required|a terminal is required)/im;

/** sudo answers `sudo: <cmd>: command not found` (exit 1) when the program is not in its secure_path. */
const SUDO_NOT_FOUND = /^sudo: .*command not found/im;

/** The first non-blank line of a text, without trailing `\r` (sshd ends its fatal messages with `\r\n`). */
export function firstLine(text: string): string | undefined {
  for (const line of text.split('\n')) {
    const t = line.replace(/\r$/, '').trim();
    if (t !== '') return t;
  }
  return undefined;
}

/**
 * The failure a command's result stands for, or undefined when it succeeded (exit 0).
 *
 * Order matters: a refused or unstarted command has no output to read; permission messages are
 * checked before the generic non-zero exit so `sudo -n` refusals say `permission`, not `failed`.
 */
export function execFailure(result: ExecResult, info: ProgramInfo): ProbeFailure | undefined {
  const { program, debianPackage } = info;
  if (result.refused !== undefined) {
    return { ok: false, reason: 'failed', detail: `${program}: refused by the command policy: ${result.refused}` };
  }
  if (result.timedOut) {
    return { ok: false, reason: 'timeout', detail: `${program} did not answer within ${result.durationMs} ms` };
  }
  const notInstalled: ProbeFailure = {
    ok: false,
    reason: 'not-installed',
    detail: `${program} not found (install the Debian/Ubuntu package ${debianPackage})`,
    cause: { kind: 'not-installed', tool: program, package: debianPackage },
  };
  if (result.spawnError !== undefined) {
    if (result.spawnError === 'ENOENT') return notInstalled;
    if (result.spawnError === 'EACCES' || result.spawnError === 'EPERM') {
      return { ok: false, reason: 'permission', detail: `${program} could not be started: ${result.spawnError}` };
    }
    return { ok: false, reason: 'failed', detail: `${program} could not be started: ${result.spawnError}` };
  }
  if (result.exitCode === 0) return undefined;
  // 127 is the shell's and sudo's "command not found" status.
  if (result.exitCode === 127 || SUDO_NOT_FOUND.test(result.stderr)) return notInstalled;
  const output = `${result.stderr}\n${result.stdout}`;
  const said = firstLine(result.stderr) ?? firstLine(result.stdout);
  const status = result.exitCode === null ? `killed by ${result.signal ?? 'a signal'}` : `exit ${result.exitCode}`;
  if (SUDO_PASSWORD.test(output)) {
    return { ok: false, reason: 'permission', detail: `${program} (${status}): ${said ?? 'sudo needs a password'}`, cause: { kind: 'sudo-password' } };
  }
  if (PERMISSION_PATTERNS.some((p) => p.test(output))) {
    return { ok: false, reason: 'permission', detail: `${program} (${status}): ${said ?? 'permission denied'}`, cause: { kind: 'permission', what: program } };
  }
  return { ok: false, reason: 'failed', detail: said === undefined ? `${program} ${status}` : `${program} (${status}): ${said}` };
}

/**
 * What systemctl says where systemd is not the init system (containers, WSL1, chroots):
 * `System has not been booted with systemd as init system (PID 1). Can't operate.` then
 * `Failed to connect to bus: Host is down` (exit 1). In a chroot it prints
 * `Running in chroot, ignoring command 'show'` and exits 0 with no output.
 */
const NO_SYSTEMD = /has not been booted with systemd|Failed to connect to bus|Running in chroot/i;

/**
 * A systemctl answer that means "no systemd here" (a failure whose detail starts `no systemd:`),
 * including an exit 0 with nothing printed: systemctl always prints something for what it was
 * asked. Undefined for any other answer (a refused, unstarted or timed-out command included:
 * {@link execFailure} names those).
 */
export function noSystemd(r: ExecResult): ProbeFailure | undefined {
  if (r.spawnError !== undefined || r.timedOut || r.refused !== undefined) return undefined;
  const said = `${r.stderr}\n${r.stdout}`;
  if (!NO_SYSTEMD.test(said) && !(r.exitCode === 0 && r.stdout.trim() === '')) return undefined;
  const line = said.split('\n').find((l) => NO_SYSTEMD.test(l)) ?? 'systemctl printed nothing';
  return { ok: false, reason: 'failed', detail: `no systemd: ${firstLine(line) ?? line}` };
}
