// Fleet benchmark (informational: prints figures, never fails on a timing).
//   `assess --offline` over ssh for 1, 10 and 50 inventory hosts on this machine. For each size:
//   wall time and per-host cost; TCP connections and ssh sessions per host (counted from the
//   sshd logs: the ControlMaster makes it one connection per host); CPU of our side (predeploy
//   and its ssh clients) and of the "remote" side (sshd, the remote shells and the commands they
//   ran: every host here is an sshd on 127.0.0.1, so all of it runs on THIS machine's cores).
//   Then the machine floor: the CPU of one host's remote commands run on their own (the argvs of
//   the 1-host run's commands log, run as the test user without ssh), × N / cores — no transport
//   can make N hosts cheaper than that here. And the bare cost of one ssh session on a master
//   (`ssh -S ctl host true`), to show what a session costs.
//   The hosts are real sshd servers on 127.0.0.1 ports (5 servers, the inventory's hosts spread
//   over them), logging in as a non-root test user whose login shell is /bin/sh.
//   Goal (issue 12): 50 hosts <= 15 s here; <= 1 extra TCP connection a host.
// Needs root (sshd, a test user) and openssh-server; otherwise it says so and skips.
// Usage: npm run bench (after the other benches), or
//        node scripts/bench-ssh.mjs [--sizes 1,10,50] [--forks N] [--keep]
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const argValue = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const sizes = String(argValue('--sizes', '1,10,50')).split(',').map(Number);
const forks = Number(argValue('--forks', '25'));
const keep = process.argv.includes('--keep');
const USER = 'predeploy-sshtest';
const bin = new URL('../dist/cli/main.js', import.meta.url).pathname;
const root = new URL('../examples/order-processing', import.meta.url).pathname;
const cores = availableParallelism();

if (process.getuid?.() !== 0 || spawnSync('/usr/sbin/sshd', ['-V']).error) {
  console.log('ssh fleet bench: skipped (needs root and openssh-server: sudo apt-get install openssh-server)');
  process.exit(0);
}
try {
  execFileSync('id', ['-u', USER], { stdio: 'pipe' });
} catch {
  execFileSync('useradd', ['-M', '-d', '/nonexistent', '-s', '/bin/sh', USER]);
}
execFileSync('usermod', ['-p', '*', '-s', '/bin/sh', USER]);

const dir = mkdtempSync('/tmp/pdbench-');
chmodSync(dir, 0o755);
const key = join(dir, 'id');
execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
writeFileSync(join(dir, 'ak'), readFileSync(`${key}.pub`));
const known = join(dir, 'known_hosts');
const sshConfig = join(dir, 'ssh_config');
writeFileSync(sshConfig, `Host *\n  IdentityFile ${key}\n  IdentitiesOnly yes\n  UserKnownHostsFile ${known}\n  GlobalKnownHostsFile /dev/null\n`);

const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });

const servers = [];
let known_ = '';
for (let i = 0; i < 5; i++) {
  const port = await freePort();
  const hk = join(dir, `hk${i}`);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hk]);
  const cfg = join(dir, `sshd${i}.conf`);
  writeFileSync(cfg, [`Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${hk}`, 'PidFile none', `AuthorizedKeysFile ${join(dir, 'ak')}`, 'StrictModes no', 'UsePAM no', `AllowUsers ${USER}`, 'MaxSessions 200', 'MaxStartups 500:30:1000', 'LogLevel VERBOSE', ''].join('\n'));
  // the log goes to a file: a pipe would fill up while spawnSync below blocks this process
  const logFile = join(dir, `sshd${i}.log`);
  const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', cfg], { stdio: ['ignore', 'ignore', openSync(logFile, 'w')] });
  servers.push({ port, child, logFile });
  known_ += `[127.0.0.1]:${port} ${readFileSync(`${hk}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')}\n`;
}
writeFileSync(known, known_);
await new Promise((r) => setTimeout(r, 500));

const count = (re) => servers.reduce((n, s) => n + (readFileSync(s.logFile, 'utf8').match(re) ?? []).length, 0);
const connections = () => count(/Connection from /g);
// sshd logs one "Starting session: command for <user>" per session (each remote command line)
const sessions = () => count(/Starting session: /g);

// CPU accounting: a cpuacct cgroup (v1) for the sshd servers and everything they start (sessions,
// shells, the remote commands), and one for predeploy with its ssh clients and the ControlMaster
// processes (which daemonise, so wait(2)-based figures such as time(1) would miss them).
const CG = '/sys/fs/cgroup/cpuacct';
const cgroups = [];
function cgroup(name) {
  const path = join(CG, `${name}-${process.pid}`);
  try {
    mkdirSync(path);
    readFileSync(join(path, 'cpuacct.usage'));
  } catch {
    return null;
  }
  cgroups.push(path);
  return { path, usage: () => Number(readFileSync(join(path, 'cpuacct.usage'), 'utf8')) / 1e9, add: (pid) => writeFileSync(join(path, 'cgroup.procs'), String(pid)) };
}
const remoteCg = cgroup('pdbench-remote');
const localCg = cgroup('pdbench-local');
if (remoteCg) for (const s of servers) remoteCg.add(s.child.pid);
const settle = () => new Promise((r) => setTimeout(r, 300));

/** Runs argv (in cgroup cg when there is one, else under time(1)); returns the result and the CPU seconds it used. */
function timed(argv, opts, cg = null) {
  if (cg) {
    const before = cg.usage();
    const r = spawnSync('sh', ['-c', 'echo $$ > "$0" && exec "$@"', join(cg.path, 'cgroup.procs'), ...argv], { encoding: 'utf8', ...opts });
    return { ...r, cpu: cg.usage() - before };
  }
  const r = spawnSync('/usr/bin/time', ['-f', '\n@@cpu %U %S', ...argv], { encoding: 'utf8', ...opts });
  const m = /@@cpu ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
  return { ...r, stderr: m ? r.stderr.slice(0, m.index) : r.stderr, cpu: m ? Number(m[1]) + Number(m[2]) : NaN };
}
const sshdCpu = () => (remoteCg ? remoteCg.usage() : NaN);

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(`ssh fleet bench: assess --offline over ssh (5 sshd on 127.0.0.1, user ${USER}, --forks ${forks}, ${cores} cores), load ${load()}`);

// --- the bare cost of one ssh session over a ControlMaster
{
  const ctl = join(dir, 'ctl');
  const base = ['-F', sshConfig, '-o', 'BatchMode=yes', '-o', `ControlPath=${ctl}`, '-p', String(servers[0].port), '-l', USER, '127.0.0.1'];
  const master = spawn('ssh', ['-M', '-N', ...base], { stdio: 'ignore' });
  localCg?.add(master.pid);
  for (let i = 0; i < 50 && spawnSync('ssh', ['-F', sshConfig, '-S', ctl, '-O', 'check', '127.0.0.1'], { stdio: 'ignore' }).status !== 0; i++) await new Promise((r) => setTimeout(r, 100));
  const n = 40;
  const s0 = sshdCpu();
  const t0 = performance.now();
  const r = timed(['sh', '-c', `i=0; while [ $i -lt ${n} ]; do ssh -F '${sshConfig}' -S '${ctl}' -p ${servers[0].port} -l ${USER} 127.0.0.1 true || exit 1; i=$((i+1)); done`], {}, localCg);
  const ms = performance.now() - t0;
  await settle();
  const remote = sshdCpu() - s0;
  master.kill('SIGTERM');
  console.log(
    `  one ssh session on a master (\`ssh -S ctl host true\` × ${n}${r.status === 0 ? '' : ', FAILED'}): ${(ms / n).toFixed(0)} ms wall, CPU per session ${((r.cpu / n) * 1000).toFixed(0)} ms client side (ssh, master) + ${((remote / n) * 1000).toFixed(0)} ms server side (sshd, login shell)`,
  );
}

const results = [];
let floorArgvs = null;
for (const n of sizes) {
  const lines = ['[fleet]'];
  for (let i = 0; i < n; i++) lines.push(`host${String(i + 1).padStart(3, '0')} ansible_host=127.0.0.1 ansible_port=${servers[i % servers.length].port}`);
  lines.push('', '[all:vars]', `ansible_user=${USER}`, `predeploy_root=${root}`, '');
  const inv = join(dir, `inv${n}.ini`);
  writeFileSync(inv, lines.join('\n'));
  const before = { tcp: connections(), sessions: sessions(), sshd: sshdCpu() };
  const loadBefore = load();
  const out = join(dir, `out${n}`);
  const t0 = performance.now();
  const r = timed(
    [process.execPath, bin, 'assess', '--inventory', inv, '--offline', '--forks', String(forks), '--out', out, '--run-id', 'bench', '--quiet'],
    { env: { ...process.env, PREDEPLOY_SSH_CONFIG: sshConfig }, maxBuffer: 64 * 1024 * 1024 },
    localCg,
  );
  const ms = performance.now() - t0;
  await settle();
  const tcp = connections() - before.tcp;
  const sess = sessions() - before.sessions;
  const remote = sshdCpu() - before.sshd;
  const assessed = /hosts:\s+\d+ — (\d+) assessed/.exec(r.stdout)?.[1] ?? (r.status === 0 && n === 1 ? '1' : '?');
  results.push({ n, ms, cpu: r.cpu, remote, tcp, sess });
  console.log(
    `  ${String(n).padStart(3)} host(s): ${(ms / 1000).toFixed(1)} s wall = ${(ms / n / 1000).toFixed(2)} s per host; ${assessed} assessed (exit ${r.status}); ` +
      `${(tcp / n).toFixed(2)} TCP connection(s) and ${(sess / n).toFixed(1)} ssh session(s) per host; ` +
      `CPU per host ${(r.cpu / n).toFixed(2)} s predeploy+ssh + ${(remote / n).toFixed(2)} s sshd+remote commands (load before ${loadBefore})`,
  );
  if (r.status !== 0) console.log(r.stderr.split('\n').slice(0, 5).join('\n'));
  if (floorArgvs === null && r.status === 0) {
    const hostDir = readdirSync(join(out, 'bench')).find((d) => d.startsWith('host'));
    if (hostDir !== undefined) floorArgvs = execArgvs(readFileSync(join(out, 'bench', hostDir, '13_PRODUCTION_DEPLOY_COMMANDS.log'), 'utf8'));
  }
}

// --- the floor: one host's remote commands on their own, as the test user, no ssh
if (floorArgvs !== null) {
  const script = floorArgvs.map((a) => `${a.map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(' ')} >/dev/null 2>&1 </dev/null`).join('\n');
  writeFileSync(join(dir, 'floor.sh'), `${script}\n`);
  chmodSync(join(dir, 'floor.sh'), 0o644);
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(timed(['runuser', '-u', USER, '--', 'env', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'LC_ALL=C', 'sh', join(dir, 'floor.sh')]).cpu);
  const floor = Math.min(...runs);
  console.log(`  floor: one host's ${floorArgvs.length} remote commands on their own cost ${floor.toFixed(2)} s CPU (best of 3; as ${USER}, no ssh) → ${(floor / cores).toFixed(2)} s per host on ${cores} cores`);
  for (const { n, ms, cpu, remote } of results) {
    const f = (floor * n) / cores;
    const spent = cpu + remote;
    console.log(
      `  ${String(n).padStart(3)} host(s): floor ${f.toFixed(1)} s (${(floor * n).toFixed(1)} s CPU / ${cores} cores) vs ${(ms / 1000).toFixed(1)} s wall = ${(ms / 1000 / f).toFixed(1)}× the floor; ` +
        `CPU spent ${spent.toFixed(1)} s = ${(spent / (floor * n)).toFixed(1)}× the commands' own, i.e. ≥ ${(spent / cores).toFixed(1)} s wall on ${cores} otherwise idle cores`,
    );
  }
}
console.log(`  load after: ${load()} (other work on this machine slows the wall times, not the CPU figures)`);
for (const s of servers) s.child.kill('SIGTERM');
await settle();
for (const path of cgroups) {
  try {
    rmdirSync(path);
  } catch {
    // a process still inside: the kernel refuses; it goes when its last task does not
  }
}
if (keep) console.log(`  kept: ${dir}`);
else rmSync(dir, { recursive: true, force: true });

/** The argvs of the `exec` entries of a commands log (formatArgv quoting is POSIX single quotes). */
function execArgvs(log) {
  const out = [];
  for (const m of log.matchAll(/^#\d+ \S+ \S+ exec (.*)$/gm)) {
    const words = shellWords(m[1].replace(/ → .*$/, ''));
    if (words.length === 0 || words.at(-1)?.endsWith('…')) continue;
    out.push(words);
  }
  return out;
}

function shellWords(text) {
  const words = [];
  let cur = '';
  let have = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") {
      const j = text.indexOf("'", i + 1);
      cur += text.slice(i + 1, j);
      i = j;
      have = true;
    } else if (c === '\\') {
      cur += text[++i];
      have = true;
    } else if (c === ' ') {
      if (have) words.push(cur);
      cur = '';
      have = false;
    } else {
      cur += c;
      have = true;
    }
  }
  if (have) words.push(cur);
  return words;
}
