// Fleet benchmark (informational: prints figures, never fails on a timing).
//   `assess --offline` over ssh for 1, 10 and 50 inventory hosts on this machine: wall time and
//   per-host cost, and the TCP connections each host cost (counted from the sshd logs: the
//   ControlMaster makes it one per host). The hosts are real sshd servers on 127.0.0.1 ports
//   (5 servers, the inventory's hosts spread over them), logging in as a non-root test user
//   whose login shell is /bin/sh. Goal: 50 hosts <= 15 s here; <= 1 extra TCP connection a host.
// Needs root (sshd, a test user) and openssh-server; otherwise it says so and skips.
// Usage: npm run bench (after the other benches), or node scripts/bench-ssh.mjs [--sizes 1,10,50] [--forks N]
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const argValue = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const sizes = String(argValue('--sizes', '1,10,50')).split(',').map(Number);
const forks = Number(argValue('--forks', '25'));
const USER = 'predeploy-sshtest';
const bin = new URL('../dist/cli/main.js', import.meta.url).pathname;
const root = new URL('../examples/order-processing', import.meta.url).pathname;

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

const connections = () => servers.reduce((n, s) => n + (readFileSync(s.logFile, 'utf8').match(/Connection from /g) ?? []).length, 0);
console.log(`ssh fleet bench: assess --offline over ssh (5 sshd on 127.0.0.1, user ${USER}, --forks ${forks}), load ${(await import('node:os')).loadavg()[0].toFixed(1)}`);
for (const n of sizes) {
  const lines = ['[fleet]'];
  for (let i = 0; i < n; i++) lines.push(`host${String(i + 1).padStart(3, '0')} ansible_host=127.0.0.1 ansible_port=${servers[i % servers.length].port}`);
  lines.push('', '[all:vars]', `ansible_user=${USER}`, `predeploy_root=${root}`, '');
  const inv = join(dir, `inv${n}.ini`);
  writeFileSync(inv, lines.join('\n'));
  const before = connections();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [bin, 'assess', '--inventory', inv, '--offline', '--forks', String(forks), '--out', join(dir, 'out'), '--quiet'], {
    encoding: 'utf8',
    env: { ...process.env, PREDEPLOY_SSH_CONFIG: sshConfig },
  });
  const ms = performance.now() - t0;
  await new Promise((r2) => setTimeout(r2, 200));
  const tcp = connections() - before;
  const assessed = /hosts:\s+\d+ — (\d+) assessed/.exec(r.stdout)?.[1] ?? (r.status === 0 && n === 1 ? '1' : '?');
  console.log(
    `  ${String(n).padStart(3)} host(s): ${(ms / 1000).toFixed(1)} s wall, ${(ms / n / 1000).toFixed(2)} s per host, ${assessed} assessed (exit ${r.status}), ${tcp} TCP connection(s) to sshd = ${(tcp / n).toFixed(2)} per host`,
  );
  if (r.status !== 0) console.log(r.stderr.split('\n').slice(0, 5).join('\n'));
}
for (const s of servers) s.child.kill('SIGTERM');
rmSync(dir, { recursive: true, force: true });
