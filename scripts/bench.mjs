// Benchmarks (informational: prints figures, never fails on a timing).
//   start-up: `predeploy --version`, N runs
//   assess --offline on this host against the example root, N runs: median / min / max wall time
//   host-only assess (--only security,monitoring,backup), N runs, against `lynis audit system --quick`
//   on the same machine in the same run (M runs; lynis takes a minute or more), and the ratios.
//   Per host run: CPU of predeploy's own process and of the commands it ran (from the bench's
//   /proc/self/stat children times), predeploy's peak RSS, and the per-phase timings of one run
//   (`--timings`). Targets (issue 14): >= 50x faster than lynis, CPU per host run <= 1.5 s, peak
//   RSS <= 150 MB — printed, never asserted. The load average is printed: on a shared machine it
//   moves every figure. lynis is the Debian/Ubuntu package `lynis`; when it is missing the
//   comparison is skipped with the command to install it.
// Usage: npm run bench [-- --runs N] [--lynis-runs M] [--no-lynis]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
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

/**
 * CPU time (ms) of this process's waited-for children and their waited-for descendants
 * (utime + stime of /proc/self/stat, fields 16 and 17, in clock ticks), or undefined off Linux.
 */
const ticksPerSecond = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;
function childrenCpuMs() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

const usage = [];
const preload = new URL('./bench-usage.mjs', import.meta.url).pathname;
function time(args, measure = false) {
  const usageFile = join(out, `usage-${usage.length}.json`);
  const c0 = childrenCpuMs();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [...(measure ? ['--import', preload] : []), bin, ...args], {
    encoding: 'utf8',
    env: measure ? { ...process.env, PREDEPLOY_BENCH_USAGE: usageFile } : process.env,
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = performance.now() - t0;
  const c1 = childrenCpuMs();
  if (r.status !== 0) throw new Error(`predeploy ${args.join(' ')} exited ${r.status}: ${r.stderr.split('\n')[0]}`);
  if (measure) {
    const own = JSON.parse(readFileSync(usageFile, 'utf8'));
    // predeploy's own CPU is part of the children times too (the bench waited for it)
    usage.push({ ...own, commandsCpuMs: c0 !== undefined && c1 !== undefined ? Math.max(0, c1 - c0 - own.cpuMs) : undefined });
  }
  return { ms, stderr: r.stderr };
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

const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

try {
  console.log(`node ${process.version}, ${runs} runs each; load average at start ${load()}`);
  time(['--version']); // warm the file cache
  const startup = stats(Array.from({ length: runs }, () => time(['--version']).ms));
  const assess = stats(Array.from({ length: runs }, (_, i) => time(['assess', '--offline', '--root', root, '--out', out, '--run-id', `bench-${process.pid}-${i}`]).ms));
  const hostArgs = (i) => ['assess', '--offline', '--only', 'security,monitoring,backup', '--root', root, '--out', out, '--run-id', `bench-host-${process.pid}-${i}`];
  time(hostArgs('warm'));
  const host = stats(Array.from({ length: runs }, (_, i) => time(hostArgs(i), true).ms));
  line('start-up (predeploy --version):', startup);
  line('assess --offline (this host):', assess);
  line('host-only assess (security,monitoring,backup):', host);
  const cpu = stats(usage.map((u) => u.cpuMs));
  const commands = usage.every((u) => u.commandsCpuMs !== undefined) ? stats(usage.map((u) => u.commandsCpuMs)) : undefined;
  const total = commands ? stats(usage.map((u) => u.cpuMs + u.commandsCpuMs)) : undefined;
  const rss = stats(usage.map((u) => u.maxRssKb / 1024));
  console.log(`  CPU per host run, predeploy's own process: median ${fmt(cpu.median)}, max ${fmt(cpu.max)}`);
  if (commands && total) {
    console.log(`  CPU per host run, the commands it ran:      median ${fmt(commands.median)}, max ${fmt(commands.max)}`);
    console.log(`  CPU per host run, both:                     median ${fmt(total.median)}, max ${fmt(total.max)}  (target <= 1.5 s${total.median <= 1500 ? ': met' : ': not met'})`);
  } else console.log('  CPU of the commands it ran: not measured (needs /proc/self/stat)');
  console.log(`  peak RSS per host run (predeploy's process): median ${rss.median.toFixed(0)} MB, max ${rss.max.toFixed(0)} MB  (target <= 150 MB${rss.max <= 150 ? ': met' : ': not met'})`);
  // where one run's time goes: the phase line and the five slowest probes of `--timings`
  const timed = time([...hostArgs('timings'), '--timings']).stderr.split('\n').filter((l) => l.startsWith('predeploy: timings:'));
  console.log('  one host run, --timings:');
  for (const l of timed.slice(0, 6)) console.log(`    ${l.replace('predeploy: timings: ', '').replace(/^ {2}/, '')}`);
  console.log(`load average after the predeploy runs ${load()}`);

  const lynis = skipLynis ? undefined : findLynis();
  if (skipLynis) {
    console.log('lynis comparison skipped (--no-lynis)');
  } else if (!lynis) {
    console.log('lynis comparison skipped: lynis is not installed. Install it with: sudo apt-get install -y lynis (Debian/Ubuntu package "lynis"), then run npm run bench again');
  } else {
    const version = spawnSync(lynis, ['--version'], { encoding: 'utf8', env: { ...process.env, PATH } }).stdout.trim();
    const dir = mkdtempSync(join(tmpdir(), 'predeploy-bench-lynis-'));
    try {
      // Each lynis run is paired with 3 host runs right after it: on a shared machine the load
      // moves a lot within the minutes lynis takes, and a ratio of two figures taken under
      // different loads says little. The pairs' ratios are printed besides the ratio of medians.
      const paired = [];
      const results = Array.from({ length: Math.max(1, lynisRuns) }, (_, i) => {
        const r = timeLynis(lynis, dir, i);
        const after = stats(Array.from({ length: 3 }, (_, j) => time(hostArgs(`pair-${i}-${j}`)).ms));
        paired.push(r.ms / after.median);
        return r;
      });
      const l = stats(results.map((r) => r.ms));
      const exits = [...new Set(results.map((r) => r.status))].join(', ');
      line(`lynis ${version} audit system --quick:`, l);
      if (exits !== '0') console.log(`  (lynis exit status: ${exits})`);
      const ratio = l.median / host.median;
      console.log(`ratio (lynis / predeploy host-only, medians): ${ratio.toFixed(1)}x  (target >= 50x${ratio >= 50 ? ': met' : ': not met on this machine'})`);
      console.log(`ratio (lynis / predeploy assess --offline, medians): ${(l.median / assess.median).toFixed(1)}x`);
      const p = stats(paired);
      console.log(`ratio per lynis run (lynis / median of the 3 host-only runs right after it): ${paired.map((x) => `${x.toFixed(1)}x`).join(', ')}; median ${p.median.toFixed(1)}x`);
      console.log(`load average after lynis ${load()}`);
      console.log('  note: lynis runs ~250 tests across the whole OS; predeploy runs the host checks of sections 2, 4 and 5 — the ratio is what a user waits, not equal work');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
