// Benchmarks (informational: prints figures, never fails on a timing).
//   start-up: `predeploy --version`, N runs
//   assess --offline on this host against the example root, N runs: median / min / max wall time
//   host-only assess (--only security,monitoring,backup), N runs, against `lynis audit system --quick`
//   on the same machine in the same run (M runs; lynis takes tens of seconds), and the ratio.
//   Target for the host checks: >= 50x faster than lynis (issue 14), CPU per host run <= 1.5 s and
//   peak RSS <= 150 MB (printed, never asserted). lynis is the Debian/Ubuntu package
//   `lynis`; when it is missing the comparison is skipped with the command to install it.
// Usage: npm run bench [-- --runs N] [--lynis-runs M] [--no-lynis]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { performance } from 'node:perf_hooks';

const argValue = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const runs = argValue('--runs', 7);
const lynisRuns = argValue('--lynis-runs', 2);
const skipLynis = process.argv.includes('--no-lynis');
const bin = new URL('../dist/cli/main.js', import.meta.url).pathname;
const root = new URL('../examples/order-processing', import.meta.url).pathname;
const out = mkdtempSync(join(tmpdir(), 'predeploy-bench-'));
// lynis lives in /usr/sbin, which non-login shells may not have on PATH
const PATH = [process.env.PATH ?? '', '/usr/local/sbin', '/usr/sbin', '/sbin'].filter(Boolean).join(delimiter);

const usage = [];
const preload = new URL('./bench-usage.mjs', import.meta.url).pathname;
function time(args, measure = false) {
  const usageFile = join(out, `usage-${usage.length}.json`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [...(measure ? ['--import', preload] : []), bin, ...args], {
    encoding: 'utf8',
    env: measure ? { ...process.env, PREDEPLOY_BENCH_USAGE: usageFile } : process.env,
  });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`predeploy ${args.join(' ')} exited ${r.status}: ${r.stderr.split('\n')[0]}`);
  if (measure) usage.push(JSON.parse(readFileSync(usageFile, 'utf8')));
  return ms;
}
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1], n: s.length };
};
const fmt = (x) => (x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${x.toFixed(0)} ms`);
const line = (label, s) => console.log(`${label.padEnd(48)} median ${fmt(s.median).padStart(8)}  min ${fmt(s.min).padStart(8)}  max ${fmt(s.max).padStart(8)}  (${s.n} runs)`);

function findLynis() {
  for (const dir of PATH.split(delimiter)) if (dir && existsSync(join(dir, 'lynis'))) return join(dir, 'lynis');
  return undefined;
}

/**
 * One `lynis audit system --quick` run. Its log and report go to a temp dir (--logfile,
 * --report-file; defaults are /var/log/lynis.log and /var/log/lynis-report.dat) and it runs with
 * that dir as cwd, so nothing is written into the repository or /var/log.
 */
function timeLynis(lynis, dir, i) {
  const args = ['audit', 'system', '--quick', '--no-colors', '--quiet', '--logfile', join(dir, `lynis-${i}.log`), '--report-file', join(dir, `lynis-report-${i}.dat`)];
  const t0 = performance.now();
  const r = spawnSync(lynis, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, PATH }, timeout: 15 * 60_000, maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - t0;
  if (r.error) throw new Error(`lynis could not run: ${r.error.message}`);
  return { ms, status: r.status };
}

try {
  time(['--version']); // warm the file cache
  const startup = stats(Array.from({ length: runs }, () => time(['--version'])));
  const assess = stats(Array.from({ length: runs }, (_, i) => time(['assess', '--offline', '--root', root, '--out', out, '--run-id', `bench-${process.pid}-${i}`])));
  const hostArgs = (i) => ['assess', '--offline', '--only', 'security,monitoring,backup', '--root', root, '--out', out, '--run-id', `bench-host-${process.pid}-${i}`];
  time(hostArgs('warm'));
  const host = stats(Array.from({ length: runs }, (_, i) => time(hostArgs(i), true)));
  console.log(`node ${process.version}, ${runs} runs each`);
  line('start-up (predeploy --version):', startup);
  line('assess --offline (this host):', assess);
  line('host-only assess (security,monitoring,backup):', host);
  const cpu = stats(usage.map((u) => u.cpuMs));
  const rss = stats(usage.map((u) => u.maxRssKb / 1024));
  console.log(`  CPU per host run (predeploy's own process): median ${fmt(cpu.median)}, max ${fmt(cpu.max)}  (target <= 1.5 s${cpu.median <= 1500 ? ': met' : ': not met'})`);
  console.log(`  peak RSS per host run: median ${rss.median.toFixed(0)} MB, max ${rss.max.toFixed(0)} MB  (target <= 150 MB${rss.max <= 150 ? ': met' : ': not met'})`);

  const lynis = skipLynis ? undefined : findLynis();
  if (skipLynis) {
    console.log('lynis comparison skipped (--no-lynis)');
  } else if (!lynis) {
    console.log('lynis comparison skipped: lynis is not installed. Install it with: sudo apt-get install lynis (Debian/Ubuntu package "lynis")');
  } else {
    const version = spawnSync(lynis, ['--version'], { encoding: 'utf8', env: { ...process.env, PATH } }).stdout.trim();
    const dir = mkdtempSync(join(tmpdir(), 'predeploy-bench-lynis-'));
    try {
      const results = Array.from({ length: Math.max(1, lynisRuns) }, (_, i) => timeLynis(lynis, dir, i));
      const l = stats(results.map((r) => r.ms));
      const exits = [...new Set(results.map((r) => r.status))].join(', ');
      line(`lynis ${version} audit system --quick:`, l);
      if (exits !== '0') console.log(`  (lynis exit status: ${exits})`);
      const ratio = l.median / host.median;
      console.log(`ratio (lynis / predeploy host-only, medians): ${ratio.toFixed(1)}x  (target >= 50x${ratio >= 50 ? ': met' : ': not met on this machine'})`);
      console.log('  note: lynis runs ~250 tests across the whole OS; predeploy runs the host checks of sections 2, 4 and 5 — the ratio is what a user waits, not equal work');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
