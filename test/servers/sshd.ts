/**
 * Real OpenSSH servers on loopback for the ssh target and fleet tests: each `sshd -D -e` runs
 * with its own config, host key (ssh-keygen) and port on 127.0.0.1, accepting one test key from
 * a temp authorized_keys file. The client side gets its own `-F` config and known_hosts in the
 * same temp folder, so the user's real ~/.ssh is never read or touched.
 *
 * Needs root (sshd must be started as root to switch to the login user) and the Debian package
 * openssh-server.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';

export interface SshdHost {
  port: number;
  hostKeyPub: string;
  /** `[127.0.0.1]:port` as known_hosts writes it */
  knownHostsName: string;
  stop(): Promise<void>;
}

export interface SshdOptions {
  /** the login users this server lets in (root and/or the test user) */
  allowUsers?: string[];
  /** sshd `ForceCommand` (the quoting logger) */
  forceCommand?: string;
  /** sshd `SetEnv` lines (e.g. BASH_ENV for a banner printed by the login shell) */
  setEnv?: string[];
  /** sshd `MaxSessions` (sessions per connection; default 100 here) */
  maxSessions?: number;
}

/** A free TCP port on 127.0.0.1 (closed again before sshd binds it). */
export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`sshd exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`sshd on ${port} did not start`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A test world: a temp folder, a client key, a client config, and sshd servers started on demand. */
export class SshLab {
  readonly dir: string;
  readonly clientKey: string;
  readonly configFile: string;
  readonly knownHosts: string;
  readonly authorizedKeys: string;
  readonly #servers: ChildProcess[] = [];

  constructor() {
    // short: the ControlMaster socket lives under it too
    this.dir = mkdtempSync('/tmp/pdssh-');
    chmodSync(this.dir, 0o755);
    this.clientKey = join(this.dir, 'id_test');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'predeploy-test', '-f', this.clientKey]);
    this.authorizedKeys = join(this.dir, 'authorized_keys');
    writeFileSync(this.authorizedKeys, readFileSync(`${this.clientKey}.pub`));
    chmodSync(this.authorizedKeys, 0o644);
    this.knownHosts = join(this.dir, 'known_hosts');
    writeFileSync(this.knownHosts, '');
    this.configFile = join(this.dir, 'ssh_config');
    writeFileSync(
      this.configFile,
      [
        'Host *',
        `  IdentityFile ${this.clientKey}`,
        '  IdentitiesOnly yes',
        `  UserKnownHostsFile ${this.knownHosts}`,
        '  GlobalKnownHostsFile /dev/null',
        '  PasswordAuthentication no',
        '  KbdInteractiveAuthentication no',
        '',
      ].join('\n'),
    );
    chmodSync(this.configFile, 0o600);
  }

  /** A new host key pair; returns [private path, public line]. */
  hostKey(name: string): [string, string] {
    const path = join(this.dir, `hostkey_${name}`);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', path]);
    return [path, readFileSync(`${path}.pub`, 'utf8').trim()];
  }

  /** Records a host key in the test known_hosts. */
  trust(port: number, pubLine: string): void {
    const [type, key] = pubLine.split(' ');
    appendFileSync(this.knownHosts, `[127.0.0.1]:${port} ${type} ${key}\n`);
  }

  /** Starts one sshd on a free port of 127.0.0.1. */
  async start(name: string, o: SshdOptions = {}): Promise<SshdHost> {
    const port = await freePort();
    const [key, pub] = this.hostKey(name);
    const cfg = join(this.dir, `sshd_${name}.conf`);
    writeFileSync(
      cfg,
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${key}`,
        'PidFile none',
        `AuthorizedKeysFile ${this.authorizedKeys}`,
        'StrictModes no',
        'UsePAM no',
        'PermitRootLogin prohibit-password',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'PubkeyAuthentication yes',
        `AllowUsers ${(o.allowUsers ?? ['root']).join(' ')}`,
        `MaxSessions ${o.maxSessions ?? 100}`,
        'MaxStartups 200:30:400',
        'LogLevel ERROR',
        ...(o.setEnv ?? []).map((e) => `SetEnv ${e}`),
        ...(o.forceCommand !== undefined ? [`ForceCommand ${o.forceCommand}`] : []),
        '',
      ].join('\n'),
    );
    const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', cfg], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr?.on('data', (c: Buffer) => {
      if (log.length < 20_000) log += c.toString();
    });
    this.#servers.push(child);
    try {
      await waitForPort(port, child);
    } catch (e) {
      throw new Error(`${(e as Error).message}: ${log.slice(0, 500)}`);
    }
    return {
      port,
      hostKeyPub: pub,
      knownHostsName: `[127.0.0.1]:${port}`,
      stop: async () => {
        if (child.exitCode !== null) return;
        await new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        });
      },
    };
  }

  async close(): Promise<void> {
    await Promise.all(
      this.#servers.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            c.once('exit', () => resolve());
            c.kill('SIGTERM');
          }),
      ),
    );
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A non-root login user for the tests (created when missing; no password, not locked). */
export function ensureTestUser(name: string): { uid: number } {
  try {
    execFileSync('id', ['-u', name], { stdio: 'pipe' });
  } catch {
    execFileSync('useradd', ['-M', '-d', '/nonexistent', '-s', '/bin/sh', name], { stdio: 'pipe' });
  }
  // `*`: no password can match, but the account is not locked (sshd refuses `!` accounts)
  execFileSync('usermod', ['-p', '*', name], { stdio: 'pipe' });
  return { uid: Number(execFileSync('id', ['-u', name]).toString().trim()) };
}

/** A TCP server that accepts and never says anything: an ssh banner that never comes. */
export async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const s = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('error', () => undefined);
    sock.on('close', () => sockets.delete(sock));
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const a = s.address();
  return {
    port: typeof a === 'object' && a ? a.port : 0,
    close: () =>
      new Promise<void>((r) => {
        for (const x of sockets) x.destroy();
        s.close(() => r());
      }),
  };
}
