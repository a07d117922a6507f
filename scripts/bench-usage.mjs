// Preloaded by scripts/bench.mjs (node --import): on exit, write this process's CPU time and peak
// RSS (process.resourceUsage, https://nodejs.org/api/process.html#processresourceusage) to the
// file named by PREDEPLOY_BENCH_USAGE. Child processes (the tools predeploy runs) are not counted.
import { writeFileSync } from 'node:fs';

const file = process.env.PREDEPLOY_BENCH_USAGE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRssKb: u.maxRSS }));
  });
}
