// Benchmark of the Azure phase (informational: prints figures, never fails on a timing).
//   Starts the loopback fake ARM / Key Vault server with the fully configured scenario, runs the
//   Azure probes and checks in-process (the real engine, SDK clients and safety layer; a fake `az`
//   on PATH) N times, and prints the first (cold: SDK modules loaded) and the median wall time.
// Usage: node scripts/bench-azure.mjs [--runs N]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startVitest } from 'vitest/node';

const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 7;
const dir = mkdtempSync(join(tmpdir(), 'predeploy-bench-azure-'));
const out = join(dir, 'times.json');
process.env.PREDEPLOY_BENCH_RUNS = String(runs);
process.env.PREDEPLOY_BENCH_OUT = out;

const file = 'test/integration/azure/phase.bench.ts';
const root = new URL('..', import.meta.url).pathname;
try {
  // the fake server is TypeScript test code: vitest transpiles it
  const vitest = await startVitest('test', [file], { root, include: [file], watch: false, reporters: ['dot'], silent: true });
  await vitest?.close();
  const { times, requests } = JSON.parse(readFileSync(out, 'utf8'));
  const sorted = [...times].sort((a, b) => a - b);
  const fmt = (x) => `${x.toFixed(0)} ms`;
  console.log(`Azure phase against the fake ARM server (full scenario, ${requests[0]} requests, probes concurrent), node ${process.version}, ${runs} runs`);
  console.log(`  first (SDK modules loaded): ${fmt(times[0])}`);
  console.log(`  median ${fmt(sorted[Math.floor(sorted.length / 2)])}  min ${fmt(sorted[0])}  max ${fmt(sorted[sorted.length - 1])}  (target: under 1500 ms)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
