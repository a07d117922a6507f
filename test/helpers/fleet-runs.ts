/**
 * Real fleet runs for tests, without sshd: `predeploy assess --inventory` over an Ansible
 * inventory whose hosts are `ansible_connection=local` (each with its own project root, so its
 * own attestations and scope; all answered by one CannedTarget) plus, when asked, one ssh host on
 * a loopback port nothing listens on (a real `ssh` that gets "Connection refused": unreachable).
 * Every file is written by the real fleet code path (src/cli/fleet.ts, src/reporters/fleet.ts).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { CannedTarget, type Canned } from './canned-target.js';
import { cli, type CliRun } from './cli.js';

const HOST_FIXTURES = join(import.meta.dirname, '../fixtures/host');
export const hostFixture = (p: string): string => readFileSync(join(HOST_FIXTURES, p), 'utf8');

/** ufw inactive, root login allowed */
export const BEFORE: Record<string, Canned> = {
  'ufw status verbose': { stdout: hostFixture('ufw/inactive.txt') },
  'sshd -T': { stdout: hostFixture('sshd/root-login-yes.txt') },
};
/** ufw active and denying; sshd unchanged */
export const AFTER: Record<string, Canned> = {
  'ufw status verbose': { stdout: hostFixture('ufw/active-deny-in.txt') },
  'sshd -T': { stdout: hostFixture('sshd/root-login-yes.txt') },
};

/** One host of a test fleet. */
export interface TestHost {
  name: string;
  /** a local host with this project root (created, with these attestations), or an unreachable ssh host */
  kind: 'local' | 'unreachable' | 'root-missing';
  /** golive check ids attested in the host's root */
  attest?: string[];
  /** predeploy_only */
  only?: string;
}

/** A loopback port nothing listens on (taken, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  await new Promise<void>((r) => server.close(() => r()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const attestations = (ids: readonly string[]): string =>
  'attestations:\n' + ids.map((id) => `  - check: ${id}\n    by: Jane (ops)\n    date: 2026-11-25\n    evidence: https://tickets.example/T-1\n`).join('');

/**
 * One fleet run `runId` of `hosts` into `<dir>/runs/<runId>/`. Host roots live in
 * `<dir>/roots/<runId>/<host>` (each run its own, so attestations can differ between runs).
 */
export async function fleetRun(
  dir: string,
  runId: string,
  hosts: readonly TestHost[],
  opts: { canned: Record<string, Canned>; at: string; extra?: string[]; target?: CannedTarget; interruptWhen?: () => boolean; /** after the roots are made, before the run */ beforeRun?: () => void },
): Promise<CliRun> {
  const port = await closedPort();
  const lines = ['[fleet]'];
  for (const h of hosts) {
    const root = join(dir, 'roots', runId, h.name);
    if (h.kind === 'local') {
      mkdirSync(root, { recursive: true });
      if (h.attest !== undefined && h.attest.length > 0) writeFileSync(join(root, 'predeploy.attest.yaml'), attestations(h.attest));
    }
    if (h.kind === 'unreachable') lines.push(`${h.name} ansible_host=127.0.0.1 ansible_port=${port} ansible_user=nobody`);
    else lines.push(`${h.name} ansible_connection=local predeploy_root=${root}${h.only !== undefined ? ` predeploy_only=${h.only}` : ''}`);
  }
  const inv = join(dir, `${runId}.ini`);
  writeFileSync(inv, lines.join('\n') + '\n');
  // an empty ssh config: the test stays off ~/.ssh
  const sshConfig = join(dir, 'ssh_config');
  writeFileSync(sshConfig, '');
  opts.beforeRun?.();
  return cli(['assess', '--inventory', inv, '--offline', '--quiet', '--connect-timeout', '5s', '--out', join(dir, 'runs'), '--run-id', runId, ...(opts.extra ?? [])], {
    target: opts.target ?? new CannedTarget(opts.canned),
    env: { PREDEPLOY_SSH_CONFIG: sshConfig },
    now: () => new Date(opts.at),
    ...(opts.interruptWhen !== undefined ? { interruptWhen: opts.interruptWhen } : {}),
  });
}
