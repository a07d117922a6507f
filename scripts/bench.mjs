// Benchmarks (informational: prints figures, never fails on a timing).
//   assess --offline on this host against the example root, N runs: median / min / max wall time
//   start-up: `predeploy --version`, N runs
// Usage: npm run bench [-- --runs N]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 7;
const bin = new URL('../dist/cli/main.js', import.meta.url).pathname;
const root = new URL('../examples/order-processing', import.meta.url).pathname;
const out = mkdtempSync(join(tmpdir(), 'predeploy-bench-'));

function time(args) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`predeploy ${args.join(' ')} exited ${r.status}: ${r.stderr.split('\n')[0]}`);
  return ms;
}
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
};
const fmt = (x) => `${x.toFixed(0)} ms`;

try {
  time(['--version']); // warm the file cache
  const startup = stats(Array.from({ length: runs }, () => time(['--version'])));
  const assess = stats(Array.from({ length: runs }, (_, i) => time(['assess', '--offline', '--root', root, '--out', out, '--run-id', `bench-${process.pid}-${i}`])));
  console.log(`node ${process.version}, ${runs} runs each`);
  console.log(`start-up (predeploy --version):   median ${fmt(startup.median)}  min ${fmt(startup.min)}  max ${fmt(startup.max)}`);
  console.log(`assess --offline (this host):     median ${fmt(assess.median)}  min ${fmt(assess.min)}  max ${fmt(assess.max)}`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
