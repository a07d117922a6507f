/**
 * A remote host as a Target, through the system OpenSSH client (`ssh`) — no SSH stack of our
 * own, so the user's ~/.ssh/config, agent, ProxyJump, identity files and known_hosts apply.
 *
 * Safety: the policy gate stays local. Every argv (the runner's commands and this target's own
 * file reads) is checked by the command policy here, before anything is sent, and sent as ONE
 * POSIX-quoted line ({@link shellJoin}) that the remote `sh` splits back into exactly that argv
 * (ssh-frames.ts: stdin from /dev/null, an external program first, framed output). `sudo -n` is
 * the runner's; file reads fall back to it for root-only files.
 *
 * Never hangs: BatchMode (no prompt), ConnectTimeout, no pty (`-T`), a remote `timeout -k` around
 * every command (when the host has it) so a timed-out command does not stay behind on the host,
 * and a local timer that kills the session a little later in any case (a new one replaces it).
 *
 * Cheap per host: one TCP connection (the first session starts a ControlMaster whose socket lives
 * in a short private folder), and a few sessions on it — each one a long-lived remote `sh` that
 * runs one command at a time from its stdin — instead of an ssh client, an sshd session and a
 * login shell for every command (a host run makes ~150 of them, mostly file reads).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import type { FileStat, RawExecResult, Target, TargetExecOptions } from '../engine/types.js';
import { checkCommand, formatArgv, type PolicyVerdict } from '../safety/command-policy.js';
import { shellJoin } from './shell-quote.js';
import { commandScript, FrameReader, helloScript, parseStatusTrailer, type Frame } from './ssh-frames.js';

export interface SshTargetOptions {
  /** the target's name in the commands log and the fleet (inventory name, or the ssh:// URL) */
  name: string;
  host: string;
  user?: string;
  port?: number;
  /** `ansible_ssh_private_key_file` */
  identityFile?: string;
  /** extra ssh arguments (already checked by {@link checkSshOptions}) */
  extraArgs?: readonly string[];
  /** a short private folder for the ControlMaster socket */
  controlDir: string;
  connectTimeoutS: number;
  /** `StrictHostKeyChecking=accept-new` instead of `yes` */
  acceptNewHostKeys?: boolean;
  /** `ssh -F FILE` (tests: never the user's real ~/.ssh) */
  configFile?: string;
  /** how long the master stays after the last session (seconds) */
  controlPersistS?: number;
  /** the ssh program; default `ssh` */
  sshProgram?: string;
  /** the command policy; injectable for the quoting test only */
  policy?: (argv: readonly string[]) => PolicyVerdict;
  /** time between the remote `timeout`'s TERM and KILL, and the local grace after it (ms) */
  killGraceMs?: number;
  /** use `sudo -n` for file reads the login user may not make (default true) */
  sudoReads?: boolean;
  /** ssh sessions (remote shells) at most, each running one command at a time (default 4, at most 8) */
  sessions?: number;
}

/** Why a host could not be reached, for the fleet report. */
export type ConnectFailureReason = 'unreachable' | 'timeout' | 'host-key-unknown' | 'host-key-changed' | 'auth' | 'failed';

export type ConnectResult =
  | { ok: true; uid: number; remoteTimeout: boolean; durationMs: number }
  | { ok: false; reason: ConnectFailureReason; detail: string; durationMs: number };

/** `ssh` options a user may pass through (`--ssh-option`, `ansible_ssh_common_args`). */
const ALLOWED_SSH_OPTIONS = new Set(
  [
    'ProxyJump',
    'ProxyCommand',
    'IdentityFile',
    'IdentitiesOnly',
    'IdentityAgent',
    'CertificateFile',
    'User',
    'Port',
    'HostKeyAlias',
    'UserKnownHostsFile',
    'GlobalKnownHostsFile',
    'ServerAliveInterval',
    'ServerAliveCountMax',
    'AddressFamily',
    'BindAddress',
    'Ciphers',
    'KexAlgorithms',
    'MACs',
    'HostKeyAlgorithms',
    'PubkeyAcceptedAlgorithms',
    'PubkeyAcceptedKeyTypes',
    'PreferredAuthentications',
    'Compression',
    'ConnectionAttempts',
    'CheckHostIP',
    'VerifyHostKeyDNS',
    'UpdateHostKeys',
    'HashKnownHosts',
    'LogLevel',
  ].map((o) => o.toLowerCase()),
);

/**
 * Checks pass-through ssh arguments: only `-o Key=Value` (or `-oKey=Value`), `-J host`,
 * `-i file`, `-4`, `-6` with keys from a small allowlist. Options that would undo a safety
 * property (BatchMode, StrictHostKeyChecking, ControlPath, RemoteCommand, LocalCommand,
 * PermitLocalCommand, RequestTTY, forwardings) are refused.
 * @returns the arguments as ssh takes them, or an error message
 */
export function checkSshOptions(args: readonly string[]): { ok: true; args: string[] } | { ok: false; error: string } {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '-4' || a === '-6') {
      out.push(a);
      continue;
    }
    let flag: string;
    let val: string | undefined;
    if (/^-[oJi]$/.test(a)) {
      flag = a;
      val = args[++i];
      if (val === undefined) return { ok: false, error: `ssh option ${a} needs a value` };
    } else if (/^-[oJi]./.test(a)) {
      flag = a.slice(0, 2);
      val = a.slice(2);
    } else if (/^[A-Za-z]+=/.test(a) || /^[A-Za-z]+ /.test(a)) {
      // `--ssh-option ProxyJump=bastion`: a bare Key=Value means -o
      flag = '-o';
      val = a;
    } else {
      return { ok: false, error: `ssh argument "${a.slice(0, 60)}" is not allowed (allowed: -o Key=Value, -J host, -i file, -4, -6)` };
    }
    if (/[\0\n\r]/.test(val)) return { ok: false, error: `ssh option ${flag}: no newlines` };
    if (flag === '-o') {
      const m = /^([A-Za-z]+)(?:\s*=\s*|\s+)(.+)$/.exec(val);
      if (!m) return { ok: false, error: `ssh option "-o ${val.slice(0, 60)}": expected Key=Value` };
      if (!ALLOWED_SSH_OPTIONS.has(m[1]!.toLowerCase())) {
        return { ok: false, error: `ssh option "${m[1]}" is not allowed (it would change how predeploy talks to the host; allowed: ProxyJump, IdentityFile, User, Port, UserKnownHostsFile, ServerAlive*, ciphers and algorithms, ...)` };
      }
      out.push('-o', `${m[1]}=${m[2]}`);
    } else {
      if (val.startsWith('-')) return { ok: false, error: `ssh option ${flag}: value "${val.slice(0, 60)}" looks like an option` };
      out.push(flag, val);
    }
  }
  return { ok: true, args: out };
}

/** Splits `ansible_ssh_common_args` like a shell would (quotes, backslashes; no expansion). */
export function splitArgs(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let have = false;
  let q: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (q === "'") {
      if (c === "'") q = null;
      else cur += c;
    } else if (q === '"') {
      if (c === '"') q = null;
      else if (c === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) cur += text[++i];
      else cur += c;
    } else if (c === "'" || c === '"') {
      q = c;
      have = true;
    } else if (c === '\\' && i + 1 < text.length) {
      cur += text[++i];
      have = true;
    } else if (/\s/.test(c)) {
      if (have || cur !== '') out.push(cur);
      cur = '';
      have = false;
    } else {
      cur += c;
    }
  }
  if (have || cur !== '') out.push(cur);
  return out;
}

const REMOTE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';


interface Raw {
  code: number | null;
  signal: string | null;
  stdout: Buffer;
  stderr: Buffer;
  /** the local timer fired (the ssh client was killed) */
  killed: boolean;
  truncated: boolean;
  /** the marker was seen: the remote shell ran our command line */
  reached: boolean;
  durationMs: number;
}

/** The command a session shell is running. */
interface Running {
  id: number;
  maxBytes: number;
  resolve: (r: Raw) => void;
  out?: Frame;
  err?: Frame;
  timers: NodeJS.Timeout[];
  killed: boolean;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/**
 * One ssh session (a mux client on the ControlMaster) whose remote side is a POSIX `sh` reading
 * commands on stdin: one command at a time, each framed on stdout and stderr (ssh-frames.ts).
 * A timeout or an interrupt kills this session (the remote `timeout` has already stopped the
 * command, when the host has it); the target then opens another one when it needs it.
 */
class RemoteShell {
  idle = false;
  alive = true;
  /** the host refused this session on the shared connection and ssh opened another one for it */
  ownConnection = false;
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #out: FrameReader;
  readonly #err: FrameReader;
  #ready = false;
  #current: Running | null = null;

  /** frame 0 came back: the session is open and its shell reads our commands */
  get ready(): boolean {
    return this.#ready;
  }
  readonly #gone: () => void;

  constructor(program: string, args: readonly string[], token: string, gone: () => void) {
    this.#gone = gone;
    // 64 KiB of a login banner is read and dropped before frame 0
    this.#out = new FrameReader(token, 64 * 1024);
    this.#err = new FrameReader(token, 64 * 1024);
    this.#child = spawn(program, args, { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    this.#child.stdin.on('error', () => undefined);
    this.#child.stdout.on('data', (c: Buffer) => this.#frames(this.#out.push(c), 'out'));
    this.#child.stderr.on('data', (c: Buffer) => this.#frames(this.#err.push(c), 'err'));
    this.#child.on('error', (e) => {
      if (this.#child.pid === undefined) this.#died(Buffer.from(`ssh could not be started: ${e.message}`));
    });
    this.#child.on('close', () => this.#died());
    this.#child.stdin.write(helloScript(token));
  }

  #frames(frames: Frame[], stream: 'out' | 'err'): void {
    for (const f of frames) {
      const id = stream === 'out' ? parseStatusTrailer(f.trailer)?.id : /^\d+$/.test(f.trailer) ? Number(f.trailer) : undefined;
      if (id === 0) {
        if (stream === 'out') this.#ready = true;
        // ssh's mux client, refused a further session by sshd (MaxSessions), opened a TCP connection of its own
        else if (/Session open refused/i.test(f.data.toString('latin1'))) this.ownConnection = true;
        continue;
      }
      const cur = this.#current;
      if (id === undefined || cur === null || cur.id !== id) {
        // cannot happen with our own shell: treat the session as broken rather than guess
        this.#kill();
        continue;
      }
      cur[stream] = f;
      if (cur.out !== undefined && cur.err !== undefined) {
        const status = parseStatusTrailer(cur.out.trailer)!.status;
        // the first command on a new session is read under the banner's cap: cut it to its own
        const cut = (f: Frame) => (f.data.length > cur.maxBytes ? f.data.subarray(0, cur.maxBytes) : f.data);
        const truncated = cur.out.truncated || cur.err.truncated || cur.out.data.length > cur.maxBytes || cur.err.data.length > cur.maxBytes;
        this.#finish({ code: status, signal: null, stdout: cut(cur.out), stderr: cut(cur.err), killed: false, truncated, reached: true, durationMs: 0 });
      }
    }
  }

  #finish(r: Raw): void {
    const cur = this.#current;
    if (cur === null) return;
    this.#current = null;
    for (const t of cur.timers) clearTimeout(t);
    if (cur.onAbort) cur.signal?.removeEventListener('abort', cur.onAbort);
    cur.resolve(r);
  }

  /** The session ended (ssh exited, or could not start): a running command ends with what was read. */
  #died(note?: Buffer): void {
    if (!this.alive && this.#current === null) return;
    this.alive = false;
    this.idle = false;
    const cur = this.#current;
    if (cur !== null) {
      const stderr = note ?? this.#err.partial();
      this.#finish({ code: null, signal: null, stdout: this.#out.partial(), stderr, killed: cur.killed, truncated: false, reached: cur.killed && this.#ready, durationMs: 0 });
    }
    this.#gone();
  }

  #kill(): void {
    const cur = this.#current;
    if (cur !== null) {
      if (cur.killed) return;
      cur.killed = true;
    }
    const group = (sig: NodeJS.Signals) => {
      try {
        if (this.#child.pid !== undefined) process.kill(-this.#child.pid, sig);
      } catch {
        // already gone
      }
    };
    group('SIGTERM');
    const t1 = setTimeout(() => group('SIGKILL'), 500);
    // a client that does not go away: stop waiting for it
    const t2 = setTimeout(() => {
      this.#child.stdout.destroy();
      this.#child.stderr.destroy();
      this.#died();
    }, 1500);
    if (cur !== null) cur.timers.push(t1, t2);
    else {
      t1.unref();
      t2.unref();
    }
  }

  /** Sends one command's script and waits for its two frames (or the budget, or the abort). */
  run(script: string, id: number, maxBytes: number, budgetMs: number, signal?: AbortSignal): Promise<Raw> {
    return new Promise<Raw>((resolve) => {
      if (!this.alive) {
        resolve({ code: null, signal: null, stdout: Buffer.alloc(0), stderr: Buffer.from('ssh session closed'), killed: false, truncated: false, reached: false, durationMs: 0 });
        return;
      }
      const cur: Running = { id, maxBytes, resolve, timers: [], killed: false };
      this.#current = cur;
      if (this.#ready) {
        this.#out.cap = maxBytes;
        this.#err.cap = maxBytes;
      }
      cur.timers.push(setTimeout(() => this.#kill(), budgetMs));
      if (signal !== undefined) {
        cur.signal = signal;
        cur.onAbort = () => this.#kill();
        if (signal.aborted) this.#kill();
        else signal.addEventListener('abort', cur.onAbort, { once: true });
      }
      this.#child.stdin.write(script);
    });
  }

  /** Ends the remote shell (EOF on its stdin) and waits a little for the session to close. */
  async end(): Promise<void> {
    if (!this.alive) return;
    this.#child.stdin.end();
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        this.#kill();
        resolve();
      }, 3000);
      this.#child.once('close', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}

/** Error with an errno-like code, as node's fs throws (probes read `code`). */
function fsError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/** The failure an ssh exit 255 (or a missing marker) stands for. */
export function classifySshError(stderr: string): { reason: ConnectFailureReason; detail: string } {
  const lines = stderr.split('\n').map((l) => l.replace(/\r$/, '').trim()).filter((l) => l !== '' && !/^@+$/.test(l));
  const first = lines.find((l) => !/^Warning: Permanently added/.test(l)) ?? 'ssh failed without a message';
  const text = lines.join(' ');
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed/i.test(text)) {
    return { reason: 'host-key-changed', detail: 'the host key CHANGED since it was recorded in known_hosts (possible man-in-the-middle, or a rebuilt host): verify it out of band, then update known_hosts' };
  }
  if (/No (?:ED25519|RSA|ECDSA|DSA)?\s*host key is known|Host key verification failed/i.test(text)) {
    return { reason: 'host-key-unknown', detail: 'the host key is not in known_hosts (StrictHostKeyChecking=yes): add it after verifying it (ssh-keyscan + fingerprint check), or pass --accept-new-host-keys' };
  }
  if (/Permission denied \(|Too many authentication failures|no matching host key type|Authentication failed/i.test(text)) return { reason: 'auth', detail: `authentication failed: ${first}` };
  if (/timed out|Connection timed out/i.test(text)) return { reason: 'timeout', detail: first };
  if (/Connection refused|No route to host|Network is unreachable|Could not resolve hostname|Name or service not known|Connection closed by|Connection reset/i.test(text)) return { reason: 'unreachable', detail: first };
  return { reason: 'failed', detail: first };
}

/** Decodes `ls -b` names: `\\`, `\ `, `\n`, `\t`, … and octal `\ooo` bytes. */
export function unescapeLsB(name: string): string {
  const bytes: number[] = [];
  const map: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, ' ': 32, '\\': 92 };
  const raw = Buffer.from(name, 'utf8');
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c !== 92 || i + 1 >= raw.length) {
      bytes.push(c);
      continue;
    }
    const rest = raw.subarray(i + 1, i + 4).toString('latin1');
    const oct = /^[0-7]{3}/.exec(rest);
    if (oct) {
      bytes.push(parseInt(oct[0], 8));
      i += 3;
      continue;
    }
    const next = String.fromCharCode(raw[i + 1]!);
    bytes.push(map[next] ?? raw[i + 1]!);
    i += 1;
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Runs commands and reads files on a remote host through `ssh`. */
export class SshTarget implements Target {
  readonly name: string;
  readonly #o: SshTargetOptions;
  readonly #policy: (argv: readonly string[]) => PolicyVerdict;
  #remoteTimeout = true;
  #uid: number | undefined;
  /** the per-connection frame token (ssh-frames.ts); only ever sent on a shell's stdin */
  readonly #token = randomBytes(16).toString('hex');
  #shells: RemoteShell[] = [];
  readonly #waiting: (() => void)[] = [];
  #maxShells: number;
  #masterUp = false;
  #seq = 0;
  readonly #reads = new Map<string, Promise<unknown>>();
  /** ssh sessions this target opened (each one a long-lived remote shell) */
  sessionsOpened = 0;

  /** session shells open now */
  get openSessions(): number {
    return this.#shells.length;
  }

  constructor(o: SshTargetOptions) {
    if (o.host === '' || o.host.startsWith('-') || /[\s\0'"\\]/.test(o.host)) throw new Error(`invalid ssh host "${o.host.slice(0, 60)}"`);
    if (o.user !== undefined && (o.user.startsWith('-') || /[\s\0@'"\\]/.test(o.user))) throw new Error(`invalid ssh user "${o.user.slice(0, 60)}"`);
    this.name = o.name;
    this.#o = o;
    this.#policy = o.policy ?? ((argv) => checkCommand(argv, { refreshApt: true }));
    this.#maxShells = Math.max(1, Math.min(8, o.sessions ?? 4));
  }

  /** The ControlPath: a short hash in the private folder (unix socket paths are capped at ~108 bytes). */
  controlPath(): string {
    const key = createHash('sha256').update(`${this.#o.user ?? ''}@${this.#o.host}:${this.#o.port ?? ''}\0${this.name}`).digest('hex').slice(0, 12);
    return `${this.#o.controlDir.replace(/%/g, '%%')}/${key}`;
  }

  /** The ssh argv up to and including the destination. */
  sshArgs(extra: readonly string[] = []): string[] {
    const o = this.#o;
    const args = [
      ...(o.configFile !== undefined ? ['-F', o.configFile] : []),
      '-T',
      '-o', 'BatchMode=yes',
      '-o', `ConnectTimeout=${o.connectTimeoutS}`,
      '-o', `StrictHostKeyChecking=${o.acceptNewHostKeys === true ? 'accept-new' : 'yes'}`,
      '-o', 'ControlMaster=auto',
      '-o', `ControlPath=${this.controlPath()}`,
      '-o', `ControlPersist=${o.controlPersistS ?? 60}`,
      '-o', 'LogLevel=ERROR',
      '-o', 'ServerAliveInterval=10',
      '-o', 'ServerAliveCountMax=3',
      ...(o.identityFile !== undefined ? ['-i', o.identityFile] : []),
      ...(o.port !== undefined ? ['-p', String(o.port)] : []),
      ...(o.user !== undefined ? ['-l', o.user] : []),
      ...(o.extraArgs ?? []),
      ...extra,
      '--',
      o.host,
    ];
    return args;
  }

  /**
   * The one command line sent when a session opens: `exec env` with a PATH that has the sbin
   * folders and the C locale, replacing the login shell with a POSIX `sh` that reads the
   * commands on its stdin (ssh-frames.ts). Nothing else — no command — is on this line.
   */
  sessionLine(): string {
    return `exec ${shellJoin(['env', `PATH=${REMOTE_PATH}`, 'LC_ALL=C', 'LANG=C', 'sh'])}`;
  }

  /** The words before an argv: extra environment (`env K=V`) and the remote `timeout`. */
  #prefix(timeoutMs: number, env: Readonly<Record<string, string>> = {}): string[] {
    const envWords = Object.entries(env).map(([k, v]) => `${k}=${v}`);
    const grace = Math.max(1, Math.ceil((this.#o.killGraceMs ?? 2000) / 1000));
    const timeout = this.#remoteTimeout ? ['timeout', '-k', `${grace}s`, `${Math.max(1, Math.ceil(timeoutMs / 1000))}s`] : [];
    return [...(envWords.length > 0 ? ['env', ...envWords] : []), ...timeout];
  }

  /** A free session shell: an idle one, a new one while under the cap, else the next one released. */
  async #acquire(): Promise<RemoteShell> {
    for (;;) {
      const idle = this.#shells.find((w) => w.idle);
      if (idle) {
        idle.idle = false;
        return idle;
      }
      // the first session starts the ControlMaster: open others only once it is up, or two
      // clients could each start a master (two TCP connections)
      if (this.#shells.length < this.#maxShells && (this.#shells.length === 0 || this.#masterUp)) {
        const w = new RemoteShell(this.#o.sshProgram ?? 'ssh', [...this.sshArgs(), this.sessionLine()], this.#token, () => {
          this.#shells = this.#shells.filter((x) => x !== w);
          this.#release();
        });
        w.idle = false;
        this.#shells.push(w);
        this.sessionsOpened++;
        return w;
      }
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
  }

  #release(): void {
    this.#waiting.shift()?.();
  }

  /** Runs one command on a session shell; never throws. */
  async #run(argv: readonly string[], timeoutMs: number, maxBytes: number, env?: Readonly<Record<string, string>>, signal?: AbortSignal, localBudgetMs?: number): Promise<Raw> {
    for (;;) {
      const shell = await this.#acquire();
      if (signal?.aborted === true) {
        // interrupted while waiting for a free session: nothing is sent
        shell.idle = true;
        this.#release();
        return { code: null, signal: null, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), killed: true, truncated: false, reached: false, durationMs: 0 };
      }
      // the duration is the command's own, not its wait for a free session
      const started = performance.now();
      const id = ++this.#seq;
      // the remote timeout fires first; the local budget is for a network that stops answering
      const budget = localBudgetMs ?? timeoutMs + (this.#o.killGraceMs ?? 2000) + 3000;
      const r = await shell.run(commandScript(this.#token, id, this.#prefix(timeoutMs, env), argv), id, maxBytes, budget, signal);
      if (r.reached) this.#masterUp = true;
      if (shell.alive && shell.ownConnection) {
        // one TCP connection per host: keep to the sessions the host allows on the master's
        this.#shells = this.#shells.filter((x) => x !== shell);
        this.#maxShells = Math.max(1, this.#shells.length);
        void shell.end();
      } else if (shell.alive) {
        shell.idle = true;
        this.#release();
      } else if (!shell.ready && !r.killed && this.#masterUp && this.#shells.length > 0) {
        // a further session the host refused (sshd MaxSessions below ours): use the ones it gave
        this.#maxShells = this.#shells.length;
        continue;
      }
      return { ...r, durationMs: Math.round(performance.now() - started) };
    }
  }

  /**
   * Opens the connection (the ControlMaster) and learns the remote uid with `id -u`, and
   * whether the host has `timeout`. A dead host costs at most its ConnectTimeout.
   */
  async connect(): Promise<ConnectResult> {
    const started = performance.now();
    const budget = this.#o.connectTimeoutS * 1000 + 15_000;
    let r = await this.#run(['id', '-u'], 15_000, 4096, undefined, undefined, budget);
    if (r.reached && r.code === 127 && /timeout/.test(r.stderr.toString())) {
      this.#remoteTimeout = false;
      r = await this.#run(['id', '-u'], 15_000, 4096, undefined, undefined, budget);
    }
    const durationMs = Math.round(performance.now() - started);
    if (!r.reached) {
      if (r.killed) return { ok: false, reason: 'timeout', detail: `no answer within ${Math.round(budget / 1000)} s`, durationMs };
      return { ok: false, ...classifySshError(r.stderr.toString()), durationMs };
    }
    const uid = Number(r.stdout.toString().trim());
    if (r.code !== 0 || !Number.isInteger(uid)) {
      return { ok: false, reason: 'failed', detail: `id -u on the host failed (exit ${r.code ?? r.signal}): ${r.stderr.toString().trim().split('\n')[0] ?? ''}`, durationMs };
    }
    this.#uid = uid;
    return { ok: true, uid, remoteTimeout: this.#remoteTimeout, durationMs };
  }

  /** Closes the ControlMaster (`ssh -O exit`). */
  async close(): Promise<void> {
    await Promise.all(this.#shells.map((w) => w.end()));
    await new Promise<void>((resolve) => {
      const child = spawn(this.#o.sshProgram ?? 'ssh', [...this.sshArgs(['-O', 'exit'])], { stdio: 'ignore' });
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.on('error', () => resolve());
      child.on('close', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /** The argv without the runner's `sudo -n --`: what the policy judges. */
  #checked(argv: readonly string[]): PolicyVerdict {
    const inner = argv[0] === 'sudo' && argv[1] === '-n' && argv[2] === '--' ? argv.slice(3) : argv;
    return this.#policy(inner);
  }

  async exec(argv: readonly string[], options: TargetExecOptions): Promise<RawExecResult> {
    const verdict = this.#checked(argv);
    if (!verdict.allowed) {
      return { exitCode: null, signal: null, stdout: '', stderr: '', timedOut: false, truncated: false, spawnError: `refused before sending: ${verdict.reason}`, durationMs: 0 };
    }
    const r = await this.#run(argv, options.timeoutMs, options.maxOutputBytes, options.env, options.signal);
    return this.#toResult(r);
  }

  #toResult(r: Raw): RawExecResult {
    const base = { stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8'), truncated: r.truncated, durationMs: r.durationMs };
    if (!r.reached) {
      if (r.killed) return { ...base, exitCode: null, signal: 'SIGKILL', timedOut: true };
      const e = classifySshError(base.stderr);
      return { ...base, exitCode: null, signal: null, timedOut: false, spawnError: `ssh ${e.reason}: ${e.detail}` };
    }
    // 124: timeout(1) sent TERM; 137 = 128+KILL after the -k grace
    const remoteTimedOut = this.#remoteTimeout && (r.code === 124 || r.code === 137);
    return { ...base, exitCode: r.code, signal: r.signal, timedOut: r.killed || remoteTimedOut };
  }

  /** Runs an internal read command: checked by the policy, then run as the user, then with sudo -n when denied. */
  async #read(argv: readonly string[], maxBytes: number): Promise<Raw & { sudoDenied?: string }> {
    const verdict = this.#policy(argv);
    if (!verdict.allowed) throw new Error(`refused by the command policy: ${verdict.reason}`);
    const timeoutMs = 20_000;
    let r = await this.#run(argv, timeoutMs, maxBytes);
    if (!r.reached) throw new Error(r.killed ? `${formatArgv(argv)}: no answer over ssh` : `ssh ${classifySshError(r.stderr.toString()).detail}`);
    if (r.code !== 0 && /Permission denied/i.test(r.stderr.toString()) && this.#uid !== 0 && this.#o.sudoReads !== false) {
      const s = await this.#run(['sudo', '-n', '--', ...argv], timeoutMs, maxBytes);
      if (s.reached && s.code === 0) return s;
      const said = s.stderr.toString();
      if (/password is required|terminal is required|not allowed|may not run/i.test(said)) return { ...r, sudoDenied: said.split('\n')[0]?.trim() ?? 'sudo -n refused' };
      r = s;
    }
    return r;
  }

  #fail(argv: readonly string[], r: Raw & { sudoDenied?: string }, path: string): Error {
    const said = r.stderr.toString().split('\n').map((l) => l.trim()).find((l) => l !== '') ?? `exit ${r.code}`;
    if (r.killed || r.code === 124) return fsError('ETIMEDOUT', `${formatArgv(argv)}: timed out`);
    if (/Permission denied/i.test(said)) {
      return fsError('EACCES', `${path}: permission denied${r.sudoDenied !== undefined ? ` (and ${r.sudoDenied})` : ''}`);
    }
    return fsError('EIO', `${formatArgv(argv)}: ${said}`);
  }

  /**
   * One answer per read per run, like the runner's one run per command: probes read the same
   * files (`.env`, a runbook, /etc/crontab) several times, and each read is a remote command
   * here. The runner still logs every call. Failures are kept too (a denied sudo is asked once).
   */
  #once<T>(key: string, read: () => Promise<T>): Promise<T> {
    let p = this.#reads.get(key) as Promise<T> | undefined;
    if (p === undefined) {
      p = read();
      this.#reads.set(key, p);
    }
    return p;
  }

  readFile(path: string, maxBytes: number): Promise<Buffer | null> {
    // copies: a caller that changes what it got must not change what the next one gets
    return this.#once(`read\0${maxBytes}\0${path}`, () => this.#readFile(path, maxBytes)).then((b) => (b === null ? null : Buffer.from(b)));
  }

  stat(path: string): Promise<FileStat | null> {
    return this.#once(`stat\0${path}`, () => this.#stat(path)).then((st) => (st === null ? null : { ...st }));
  }

  readDir(path: string): Promise<string[] | null> {
    return this.#once(`list\0${path}`, () => this.#readDir(path)).then((names) => (names === null ? null : [...names]));
  }

  async #readFile(path: string, maxBytes: number): Promise<Buffer | null> {
    const s = await this.stat(path);
    if (s === null) return null;
    if (!s.isFile) throw new Error(`${path} is not a regular file`);
    const argv = ['head', '-c', String(maxBytes), path];
    const r = await this.#read(argv, maxBytes);
    if (r.code !== 0) {
      if (/No such file|Not a directory/.test(r.stderr.toString())) return null;
      throw this.#fail(argv, r, path);
    }
    return r.stdout;
  }

  async #stat(path: string): Promise<FileStat | null> {
    // %f raw mode (hex), %u uid, %g gid, %s size, %Y mtime (s) — stat(1), GNU coreutils
    const argv = ['stat', '-L', '-c', '%f %u %g %s %Y', path];
    const r = await this.#read(argv, 4096);
    if (r.code !== 0) {
      if (/No such file|Not a directory/.test(r.stderr.toString())) return null;
      throw this.#fail(argv, r, path);
    }
    const m = /^([0-9a-f]+) (\d+) (\d+) (\d+) (\d+)\s*$/.exec(r.stdout.toString());
    if (!m) throw fsError('EIO', `stat ${path}: unexpected output`);
    const mode = parseInt(m[1]!, 16);
    const type = mode & 0o170000;
    return { mode, uid: Number(m[2]), gid: Number(m[3]), size: Number(m[4]), mtimeMs: Number(m[5]) * 1000, isFile: type === 0o100000, isDirectory: type === 0o040000 };
  }

  async #readDir(path: string): Promise<string[] | null> {
    // a trailing slash: ls on a file then fails with "Not a directory", like readdir(2)
    const argv = ['ls', '-1Ab', path.endsWith('/') ? path : `${path}/`];
    const r = await this.#read(argv, 8 * 1024 * 1024);
    if (r.code !== 0) {
      if (/No such file|Not a directory/.test(r.stderr.toString())) return null;
      throw this.#fail(argv, r, path);
    }
    return r.stdout
      .toString('utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map(unescapeLsB)
      .sort();
  }
}
