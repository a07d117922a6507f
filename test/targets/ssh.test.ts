/**
 * The ssh target and fleet runs against real OpenSSH servers on loopback (test/servers/sshd.ts):
 * the quoting corpus observed on the remote side, host-key and reachability failures, a login
 * shell that prints a banner, a user whose sudo needs a password, 20 hosts in one run, and the
 * same statuses from a local and an ssh run of the same host.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshTarget } from '../../src/targets/ssh.js';
import { cli } from '../helpers/cli.js';
import { ensureTestUser, silentServer, SshLab, type SshdHost } from '../servers/sshd.js';

const ROOT = resolve('examples/order-processing');
const USER = 'predeploy-sshtest';
const BANNER_USER = 'predeploy-sshbanner';

let lab: SshLab;
let plain: SshdHost;
let logger: SshdHost;
let banner: SshdHost;
let rekeyed: SshdHost;
let stranger: SshdHost;
let rooted: SshdHost;
let narrow: SshdHost;
let silent: { port: number; close(): Promise<void> };
let logDir: string;
let dumper: string;

beforeAll(async () => {
  lab = new SshLab();
  ensureTestUser(USER);
  ensureTestUser(BANNER_USER);
  // a login shell that greets on stdout and stderr before running anything
  const bannerShell = join(lab.dir, 'bannersh');
  writeFileSync(bannerShell, '#!/bin/sh\necho "Welcome to the banner host! Authorised use only."\necho "motd: 3 updates" >&2\nexec /bin/sh "$@"\n');
  chmodSync(bannerShell, 0o755);
  const { execFileSync } = await import('node:child_process');
  execFileSync('usermod', ['-s', bannerShell, BANNER_USER]);
  // the quoting observer: sshd's ForceCommand records what the client asked for (the session's
  // command line) and every byte the session's shell reads on stdin (the commands), then runs it
  logDir = join(lab.dir, 'log');
  mkdirSync(logDir, { mode: 0o777 });
  chmodSync(logDir, 0o777);
  const forced = join(lab.dir, 'forced');
  writeFileSync(forced, `#!/bin/sh\nprintf '%s' "$SSH_ORIGINAL_COMMAND" > ${logDir}/last\ntee -a ${logDir}/stdin | /bin/sh -c "$SSH_ORIGINAL_COMMAND"\n`);
  chmodSync(forced, 0o755);
  dumper = join(lab.dir, 'argv-dump');
  writeFileSync(dumper, `#!/bin/sh\nfor a in "$@"; do printf '%s\\0' "$a"; done\n`);
  chmodSync(dumper, 0o755);
  [plain, logger, banner, rekeyed, stranger, rooted, narrow] = await Promise.all([
    lab.start('plain', { allowUsers: [USER] }),
    lab.start('logger', { allowUsers: [USER], forceCommand: forced }),
    lab.start('banner', { allowUsers: [BANNER_USER] }),
    lab.start('rekeyed', { allowUsers: [USER] }),
    lab.start('stranger', { allowUsers: [USER] }),
    lab.start('rooted', { allowUsers: ['root'] }),
    lab.start('narrow', { allowUsers: [USER], maxSessions: 2 }),
  ]);
  for (const h of [plain, logger, banner, rooted, narrow]) lab.trust(h.port, h.hostKeyPub);
  // a key recorded for rekeyed's address that is not its key: "host key has changed"
  lab.trust(rekeyed.port, lab.hostKey('old-rekeyed')[1]);
  silent = await silentServer();
}, 60_000);

afterAll(async () => {
  await silent?.close();
  await lab?.close();
});

const target = (port: number, user: string, extra: Partial<ConstructorParameters<typeof SshTarget>[0]> = {}) =>
  new SshTarget({ name: `t${port}`, host: '127.0.0.1', port, user, controlDir: lab.dir, connectTimeoutS: 5, configFile: lab.configFile, ...extra });

/** Arguments a shell would mangle if they were not quoted exactly once. */
const CORPUS: string[] = [
  'plain',
  'two words',
  '  leading and trailing  ',
  "it's",
  "'",
  "''",
  '"double"',
  '"',
  '$(id -u)',
  '`id -u`',
  '${HOME}',
  '$HOME',
  '~',
  '~root',
  'a;b',
  'a && b',
  'a || b',
  'a | b',
  '> /tmp/x',
  '< /etc/passwd',
  'line1\nline2',
  '\n',
  'tab\there',
  '*',
  '/etc/*',
  '?',
  '[abc]',
  '{a,b}',
  '-n',
  '--',
  '-rf',
  '',
  'ünïcødé ✓ 日本',
  'back\\slash',
  '\\',
  '\\n',
  '%s %n',
  '#not a comment',
  '!',
  'a=b',
  "mixed 'single' \"double\" $(x) `y` \\z",
];

describe('quoting: what runs remotely is exactly the argv', () => {
  it('every corpus entry reaches the remote program unchanged (observed by an argv dump behind a ForceCommand logger)', async () => {
    const t = target(logger.port, USER, { policy: () => ({ allowed: true }) });
    expect((await t.connect()).ok).toBe(true);
    try {
      const r = await t.exec([dumper, ...CORPUS], { timeoutMs: 10_000, maxOutputBytes: 1 << 20 });
      expect(r.exitCode).toBe(0);
      const got = r.stdout.split('\0').slice(0, -1);
      expect(got).toEqual(CORPUS);
      // the session's command line names no command: only the shell that reads them on stdin
      expect(readFileSync(join(logDir, 'last'), 'utf8')).toBe(t.sessionLine());
      // the commands arrived on that shell's stdin, each argument single-quoted
      const sent = readFileSync(join(logDir, 'stdin'), 'utf8');
      expect(sent).toContain(`'${dumper}'`);
      expect(sent).toContain(`'it'\\''s'`);
      // one at a time and many at once (several session shells): each reaches its program intact
      const one = await Promise.all(CORPUS.map((entry) => t.exec([dumper, entry], { timeoutMs: 10_000, maxOutputBytes: 1 << 20 })));
      expect(one.map((x) => x.stdout)).toEqual(CORPUS.map((entry) => `${entry}\0`));
      expect(t.sessionsOpened).toBeGreaterThan(1);
      expect(t.sessionsOpened).toBeLessThanOrEqual(4);
    } finally {
      await t.close();
    }
  });

  it('through the real policy: stat of files with hostile names prints exactly those names', async () => {
    const dir = join(lab.dir, 'names');
    mkdirSync(dir, { mode: 0o755 });
    const names = CORPUS.filter((n) => n !== '' && !n.includes('/') && !n.includes('\n') && n !== '.' && n !== '..' && !n.startsWith('-'));
    for (const n of names) writeFileSync(join(dir, n), 'x');
    const t = target(logger.port, USER);
    expect((await t.connect()).ok).toBe(true);
    try {
      const paths = names.map((n) => join(dir, n));
      const r = await t.exec(['stat', '-c', '%n|', ...paths], { timeoutMs: 10_000, maxOutputBytes: 1 << 20 });
      expect(r.stderr).toBe('');
      expect(r.stdout.split('|\n').slice(0, -1)).toEqual(paths);
      // and readDir/readFile over the same connection see the same names
      expect(await t.readDir(dir)).toEqual([...names].sort());
      expect((await t.readFile(join(dir, "it's"), 10))?.toString()).toBe('x');
    } finally {
      await t.close();
    }
  });

  it('a command the policy refuses is not sent at all', async () => {
    const t = target(logger.port, USER);
    expect((await t.connect()).ok).toBe(true);
    writeFileSync(join(logDir, 'last'), 'untouched');
    writeFileSync(join(logDir, 'stdin'), '');
    const r = await t.exec(['rm', '-rf', '/tmp/nothing'], { timeoutMs: 5000, maxOutputBytes: 1000 });
    expect(r.spawnError).toMatch(/refused before sending/);
    // a command sent after it arrives; the refused one never did, on any session
    expect((await t.exec(['id', '-u'], { timeoutMs: 5000, maxOutputBytes: 1000 })).exitCode).toBe(0);
    const sent = readFileSync(join(logDir, 'stdin'), 'utf8');
    expect(sent).toContain(`'id' '-u'`);
    expect(sent).not.toContain(`'rm'`);
    expect(readFileSync(join(logDir, 'last'), 'utf8')).toBe('untouched');
    await t.close();
  });
});

describe('the ssh target', () => {
  it('one connection, a few session shells: exit statuses, stdout without a newline, binary output, the size cap, forged frames', async () => {
    const t = target(plain.port, USER, { policy: () => ({ allowed: true }) });
    expect(await t.connect()).toMatchObject({ ok: true });
    try {
      const o = { timeoutMs: 10_000, maxOutputBytes: 1000 };
      const status = await t.exec(['sh', '-c', 'echo out; echo err >&2; exit 3'], o);
      expect(status).toMatchObject({ exitCode: 3, stdout: 'out\n', stderr: 'err\n', timedOut: false, truncated: false });
      expect((await t.exec(['printf', 'no newline'], o)).stdout).toBe('no newline');
      // output that imitates a frame, with a token it cannot know: it is output, and the status is the real one
      const forged = await t.exec(['sh', '-c', `printf '%s:1:0\\n' ${'f'.repeat(32)}; printf 'x:0:0\\n'; exit 4`], o);
      expect(forged).toMatchObject({ exitCode: 4, stdout: `${'f'.repeat(32)}:1:0\nx:0:0\n` });
      const big = await t.exec(['head', '-c', '200000', '/dev/zero'], o);
      expect(big).toMatchObject({ exitCode: 0, truncated: true });
      expect(big.stdout.length).toBe(1000);
      // the session that carried 200 kB is still in step
      expect(await t.exec(['echo', 'next'], o)).toMatchObject({ exitCode: 0, stdout: 'next\n', truncated: false });
      const many = await Promise.all(Array.from({ length: 12 }, (_, i) => t.exec(['sh', '-c', `sleep 0.$((${i} % 3)); echo ${i}`], o)));
      expect(many.map((x) => x.stdout)).toEqual(Array.from({ length: 12 }, (_, i) => `${i}\n`));
      expect(t.sessionsOpened).toBeLessThanOrEqual(4);
      // the cap holds for the first command on a new session too
      const t2 = target(plain.port, USER, { policy: () => ({ allowed: true }) });
      expect(await t2.connect()).toMatchObject({ ok: true });
      const capped = await Promise.all(Array.from({ length: 4 }, () => t2.exec(['head', '-c', '5000', '/dev/zero'], o)));
      expect(capped.map((x) => [x.stdout.length, x.truncated])).toEqual(Array.from({ length: 4 }, () => [1000, true]));
      await t2.close();
    } finally {
      await t.close();
    }
  });

  it('a host that allows fewer sessions per connection (sshd MaxSessions 2): every command runs, and only on the sessions it allows', async () => {
    const t = target(narrow.port, USER, { policy: () => ({ allowed: true }) });
    expect(await t.connect()).toMatchObject({ ok: true });
    try {
      const many = await Promise.all(Array.from({ length: 10 }, (_, i) => t.exec(['sh', '-c', `sleep 0.2; echo ${i}`], { timeoutMs: 10_000, maxOutputBytes: 1000 })));
      expect(many.map((x) => [x.exitCode, x.stdout, x.spawnError])).toEqual(Array.from({ length: 10 }, (_, i) => [0, `${i}\n`, undefined]));
      // ssh answers a refused session with a TCP connection of its own: those sessions are not kept
      expect(t.openSessions).toBeLessThanOrEqual(2);
      expect((await Promise.all(Array.from({ length: 6 }, () => t.exec(['true'], { timeoutMs: 10_000, maxOutputBytes: 1000 })))).map((x) => x.exitCode)).toEqual([0, 0, 0, 0, 0, 0]);
      expect(t.openSessions).toBeLessThanOrEqual(2);
    } finally {
      await t.close();
    }
  });

  it('cuts a login banner off the output', async () => {
    const t = target(banner.port, BANNER_USER);
    expect(await t.connect()).toMatchObject({ ok: true });
    const r = await t.exec(['id', '-u'], { timeoutMs: 5000, maxOutputBytes: 1000 });
    expect(r.stdout).toMatch(/^\d+\n$/);
    expect(r.stderr).toBe('');
    await t.close();
  });

  it('sudo that needs a password is a permission failure at once, and root-only reads say permission denied', async () => {
    const t = target(plain.port, USER);
    expect(await t.connect()).toMatchObject({ ok: true });
    const r = await t.exec(['sudo', '-n', '--', 'nginx', '-T'], { timeoutMs: 10_000, maxOutputBytes: 1000 });
    expect(r.timedOut).toBe(false);
    expect(r.stderr).toMatch(/a password is required/);
    const secret = join(lab.dir, 'root-only.conf');
    writeFileSync(secret, 'x', { mode: 0o600 });
    await expect(t.readFile(secret, 100)).rejects.toMatchObject({ code: 'EACCES' });
    await t.close();
  });

  it('a timeout kills the remote command too (remote timeout -k), and is reported as a timeout', async () => {
    const t = target(plain.port, USER, { policy: () => ({ allowed: true }), killGraceMs: 1000 });
    expect(await t.connect()).toMatchObject({ ok: true, remoteTimeout: true });
    const marker = join(lab.dir, `pd-sleeper-${process.pid}`);
    writeFileSync(marker, '#!/bin/sh\nsleep 30\n');
    chmodSync(marker, 0o755);
    const r = await t.exec([marker], { timeoutMs: 1000, maxOutputBytes: 1000 });
    expect(r.timedOut).toBe(true);
    const { execFileSync } = await import('node:child_process');
    let left = '';
    try {
      left = execFileSync('pgrep', ['-f', marker]).toString();
    } catch {
      left = '';
    }
    expect(left).toBe('');
    console.log(`remote timeout: command of 1 s timeout returned after ${r.durationMs} ms`);
    // a session killed by the local budget (a host that stops answering) is replaced by a new one
    const stuck = await t.exec([marker], { timeoutMs: 20_000, maxOutputBytes: 1000, signal: AbortSignal.timeout(500) });
    expect(stuck.timedOut).toBe(true);
    expect(await t.exec(['echo', 'after'], { timeoutMs: 5000, maxOutputBytes: 1000 })).toMatchObject({ exitCode: 0, stdout: 'after\n' });
    await t.close();
  });

  it.each([
    ['a changed host key', () => rekeyed.port, 'host-key-changed'],
    ['an unknown host key (StrictHostKeyChecking=yes)', () => stranger.port, 'host-key-unknown'],
  ])('%s is a clear per-host error', async (_what, port, reason) => {
    const t = target(port(), USER);
    const c = await t.connect();
    expect(c).toMatchObject({ ok: false, reason });
  });

  it('--accept-new-host-keys records an unknown key instead', async () => {
    const t = target(stranger.port, USER, { acceptNewHostKeys: true });
    expect(await t.connect()).toMatchObject({ ok: true });
    await t.close();
    expect(readFileSync(lab.knownHosts, 'utf8')).toContain(`[127.0.0.1]:${stranger.port}`);
  });

  it('a host that never answers costs its ConnectTimeout', async () => {
    const t = target(silent.port, USER, { connectTimeoutS: 2 });
    const c = await t.connect();
    expect(c).toMatchObject({ ok: false, reason: 'timeout' });
    console.log(`silent host: connect gave up after ${c.durationMs} ms (ConnectTimeout 2 s)`);
  });
});

describe('fleet runs', () => {
  it('20 hosts in one run from an inventory, with the unreachable ones reported and the others complete', async () => {
    const inv = join(lab.dir, 'fleet.ini');
    writeFileSync(
      inv,
      [
        '[web]',
        `web[01:18].example.test ansible_host=127.0.0.1 ansible_port=${plain.port}`,
        '',
        '[odd]',
        `greeter ansible_host=127.0.0.1 ansible_port=${banner.port} ansible_user=${BANNER_USER}`,
        `nonroot ansible_host=127.0.0.1 ansible_port=${logger.port}`,
        `dead ansible_host=127.0.0.1 ansible_port=${silent.port}`,
        `rekeyed ansible_host=127.0.0.1 ansible_port=${rekeyed.port}`,
        '',
        '[all:vars]',
        `ansible_user=${USER}`,
        `ansible_ssh_private_key_file=${lab.clientKey}`,
        `predeploy_root=${ROOT}`,
        '',
      ].join('\n'),
    );
    const out = join(lab.dir, 'runs');
    const t0 = performance.now();
    const r = await cli(['assess', '--inventory', inv, '--offline', '--only', 'security,secrets', '--forks', '10', '--connect-timeout', '2s', '--out', out, '--run-id', 'fleet1', '--quiet'], {
      env: { PREDEPLOY_SSH_CONFIG: lab.configFile },
    });
    console.log(`fleet of 22 (20 reachable): ${Math.round(performance.now() - t0)} ms`);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
    expect(r.code).toBe(0);
    const fleetDir = join(out, 'fleet1');
    const fleet = JSON.parse(readFileSync(join(fleetDir, 'fleet.json'), 'utf8')) as { hosts: { name: string; state: string; reason?: string; durationMs: number; folder: string }[]; counts: Record<string, number> };
    expect(fleet.counts).toMatchObject({ hosts: 22, assessed: 20, unreachable: 2 });
    const dead = fleet.hosts.find((h) => h.name === 'dead')!;
    expect(dead).toMatchObject({ state: 'unreachable', reason: 'timeout' });
    console.log(`dead host cost ${dead.durationMs} ms (ConnectTimeout 2 s)`);
    expect(fleet.hosts.find((h) => h.name === 'rekeyed')).toMatchObject({ state: 'unreachable', reason: 'host-key-changed' });
    // unreachable hosts come first (worst first)
    expect(fleet.hosts.slice(0, 2).map((h) => h.state)).toEqual(['unreachable', 'unreachable']);
    for (const h of fleet.hosts.filter((x) => x.state === 'assessed')) {
      const files = readdirSync(join(fleetDir, h.folder));
      expect(files).toEqual(expect.arrayContaining(['13_PRODUCTION_DEPLOY_REPORT.md', '13_PRODUCTION_DEPLOY_COMMANDS.log', 'PRODUCTION_READINESS_CHECKLIST.md', 'report.json']));
      const log = readFileSync(join(fleetDir, h.folder, '13_PRODUCTION_DEPLOY_COMMANDS.log'), 'utf8');
      const entries = log.split('\n').filter((l) => /^#\d+ /.test(l));
      expect(entries.length).toBeGreaterThan(0);
      for (const e of entries) expect(e.split(' ')[2]).toBe(h.name);
    }
    // the user cannot sudo: nginx's config is a permission failure, not a hang and not "nothing there"
    const nonroot = JSON.parse(readFileSync(join(fleetDir, 'nonroot', 'report.json'), 'utf8')) as { probes: { id: string; ok: boolean; reason?: string; detail?: string }[] };
    const nginx = nonroot.probes.find((p) => p.id === 'host.nginx');
    expect(nginx).toMatchObject({ ok: false, reason: 'permission' });
    expect(readFileSync(join(fleetDir, 'FLEET_SUMMARY.md'), 'utf8')).toMatch(/\| `dead` \| `ssh:\/\/predeploy-sshtest@127\.0\.0\.1:\d+` \| timeout \|/);
    expect(existsSync(join(fleetDir, 'fleet.html'))).toBe(true);
    expect(r.stdout.split('\n').length).toBeLessThanOrEqual(121);
    expect(r.stdout).toMatch(/not assessed \(2\):/);
    // ControlMaster sockets are gone after the run
    expect(existsSync(join(fleetDir, '.ssh'))).toBe(false);
  }, 180_000);

  it('a gate applies to the worst host; an unreachable host fails it', async () => {
    const out = join(lab.dir, 'runs-gate');
    const r = await cli(
      ['assess', '--target', `ssh://${USER}@127.0.0.1:${plain.port}`, '--target', `ssh://${USER}@127.0.0.1:${silent.port}`, '--root', ROOT, '--offline', '--only', 'golive', '--connect-timeout', '1s', '--fail-on', 'blockers', '--out', out, '--quiet'],
      { env: { PREDEPLOY_SSH_CONFIG: lab.configFile } },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/gate failed: .*not assessed \(timeout\)/);
  }, 60_000);

  it('bad inventory input is one line and exit 2', async () => {
    const inv = join(lab.dir, 'bad.ini');
    writeFileSync(inv, '[web\nhost1\n');
    const r = await cli(['assess', '--inventory', inv, '--out', join(lab.dir, 'runs-bad')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`predeploy: ${inv}:1: invalid section header "[web" (expected [group], [group:vars] or [group:children])\n`);
    const r2 = await cli(['assess', '--target', 'ssh://-oProxyCommand=x', '--out', join(lab.dir, 'runs-bad')]);
    expect(r2.code).toBe(2);
    const r3 = await cli(['assess', '--target', 'ssh://h', '--ssh-option', 'StrictHostKeyChecking=no', '--out', join(lab.dir, 'runs-bad')]);
    expect(r3.code).toBe(2);
    expect(r3.stderr).toMatch(/StrictHostKeyChecking" is not allowed/);
  });

  it('a local run and an ssh run of the same host give the same statuses', async () => {
    const only = ['--only', 'security,secrets,backup,golive'];
    const out = join(lab.dir, 'runs-same');
    const local = await cli(['assess', '--root', ROOT, '--offline', ...only, '--out', join(out, 'local'), '--run-id', 'same', '--quiet']);
    const remote = await cli(['assess', '--target', `ssh://root@127.0.0.1:${rooted.port}`, '--root', ROOT, '--offline', ...only, '--out', join(out, 'ssh'), '--run-id', 'same', '--quiet'], {
      env: { PREDEPLOY_SSH_CONFIG: lab.configFile },
    });
    expect([local.code, remote.code]).toEqual([0, 0]);
    type R = { results: { id: string; status: string }[] };
    const a = JSON.parse(readFileSync(join(out, 'local', 'same', 'report.json'), 'utf8')) as R;
    const sub = readdirSync(join(out, 'ssh', 'same')).find((n) => n.startsWith('root@'))!;
    const b = JSON.parse(readFileSync(join(out, 'ssh', 'same', sub, 'report.json'), 'utf8')) as R;
    const statuses = (x: R) => Object.fromEntries(x.results.map((c) => [c.id, c.status]));
    expect(statuses(b)).toEqual(statuses(a));
  }, 180_000);
});

describe('config and init over ssh (discovery on one remote host)', () => {
  const CANARY = 'cAnArYkEy0000000000000000000000000000000000000000000000000000000000000000000000000000000==';
  let root: string;
  beforeAll(() => {
    // a project root the ssh user can read: a resource name and a secret in one connection string
    root = join(lab.dir, 'remote-root');
    mkdirSync(root, { mode: 0o755 });
    chmodSync(root, 0o755);
    writeFileSync(join(root, '.env.production'), `KEY_VAULT_URL=https://pippai-keyvault-prod.vault.azure.net/\nAZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=https;AccountName=pippaistorageprod;AccountKey=${CANARY};EndpointSuffix=core.windows.net\n`, { mode: 0o644 });
  });
  const env = () => ({ PREDEPLOY_SSH_CONFIG: lab.configFile });
  const host = () => `ssh://${USER}@127.0.0.1:${plain.port}`;

  it('predeploy config --target ssh:// shows what discovery finds on the host, with its source, as a local run does', async () => {
    const remote = await cli(['config', '--target', host(), '--root', root, '--offline'], { env: env() });
    expect(remote.code, remote.stderr).toBe(0);
    expect(remote.stdout).toContain(`root:     ${host()}:${root}`);
    const local = await cli(['config', '--root', root, '--offline']);
    expect(local.code, local.stderr).toBe(0);
    // the same discovered values, from the same files (read over ssh by the remote user)
    const discovered = (t: string) => t.split('\n').filter((l) => l.includes('discovered:')).map((l) => l.trim()).sort();
    expect(discovered(remote.stdout).length).toBeGreaterThanOrEqual(2);
    expect(discovered(remote.stdout)).toEqual(discovered(local.stdout));
    expect(remote.stdout).toMatch(/pippai-keyvault-prod.*discovered: Key Vault URL in KEY_VAULT_URL at \.env\.production:1/);
    expect(remote.stdout + remote.stderr).not.toContain(CANARY.slice(0, 24));
  }, 60_000);

  it('predeploy init --target ssh:// writes here (--out), never on the host; the file loads; without --out it is refused', async () => {
    const here = join(lab.dir, 'init-here');
    mkdirSync(here);
    const r = await cli(['init', '--target', host(), '--root', root, '--offline', '--out', here], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(join(here, 'predeploy.yaml'), 'utf8');
    expect(text).toMatch(/keyVault: pippai-keyvault-prod {2}# discovered: Key Vault URL in KEY_VAULT_URL at \.env\.production:1/);
    expect(existsSync(join(here, 'predeploy.attest.yaml'))).toBe(true);
    expect(existsSync(join(root, 'predeploy.yaml'))).toBe(false);
    expect(existsSync(join(root, 'predeploy.attest.yaml'))).toBe(false);
    expect(r.stdout).toContain(`then run predeploy assess --target ${host()} --root ${root} --config ${join(here, 'predeploy.yaml')}`);
    expect(text + r.stdout + r.stderr).not.toContain(CANARY.slice(0, 24));
    const { parseConfigText } = await import('../../src/config/loader.js');
    expect(() => parseConfigText(text, 'predeploy.yaml')).not.toThrow();
    const refused = await cli(['init', '--target', host(), '--root', root], { env: env() });
    expect(refused).toMatchObject({ code: 2, stderr: 'predeploy: init over ssh writes its files here, never on the host: add --out <dir>\n' });
  }, 60_000);

  it("the host's own predeploy.yaml is read over ssh, with file:line provenance, and wins over discovery", async () => {
    const withConfig = join(lab.dir, 'remote-root-config');
    mkdirSync(withConfig, { mode: 0o755 });
    chmodSync(withConfig, 0o755);
    writeFileSync(join(withConfig, '.env.production'), 'KEY_VAULT_URL=https://pippai-keyvault-prod.vault.azure.net/\n', { mode: 0o644 });
    writeFileSync(join(withConfig, 'predeploy.yaml'), 'profile: order-processing\nazure:\n  prod:\n    keyVault: kv-orders-prod\n', { mode: 0o644 });
    const r = await cli(['config', '--target', host(), '--root', withConfig, '--offline'], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    const file = `${host()}:${join(withConfig, 'predeploy.yaml')}`;
    expect(r.stdout).toContain(`file:     ${file}`);
    expect(r.stdout).toMatch(new RegExp(`azure\\.prod\\.keyVault +kv-orders-prod +${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:4`));
    expect(r.stdout).toMatch(/discovery shows pippai-keyvault-prod .*the configuration wins/);
  }, 60_000);

  it('a host that cannot be reached, or a root that is not there, is one line and exit 2', async () => {
    const dead = await cli(['config', '--target', `ssh://${USER}@127.0.0.1:${silent.port}`, '--root', root, '--connect-timeout', '1s'], { env: env() });
    expect(dead.code).toBe(2);
    expect(dead.stderr).toMatch(/^predeploy: ssh:\/\/predeploy-sshtest@127\.0\.0\.1:\d+: cannot connect \(timeout\): .*\n$/);
    const noRoot = await cli(['config', '--target', host(), '--root', join(root, 'missing')], { env: env() });
    expect(noRoot).toMatchObject({ code: 2, stderr: `predeploy: ${host()}: project root ${join(root, 'missing')} is not a directory on the host (pass --root)\n` });
  }, 60_000);
});
