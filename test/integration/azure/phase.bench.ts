/**
 * The Azure phase timed against the fake server (full scenario): run by scripts/bench-azure.mjs,
 * which sets PREDEPLOY_BENCH_OUT and prints the figures. Not part of the test suite (its name
 * does not end in .test.ts).
 */
import { writeFileSync } from 'node:fs';
import { it } from 'vitest';
import { startFakeArm } from '../../servers/fake-arm.js';
import { fakeAz } from '../../servers/fake-az.js';
import { runAzure } from './harness.js';

it('Azure phase', async () => {
  const runs = Number(process.env['PREDEPLOY_BENCH_RUNS'] ?? '7');
  const arm = await startFakeArm({ scenario: 'full' });
  const az = fakeAz({ subscriptionId: arm.subscriptionId, tenantId: arm.tenantId });
  const times: number[] = [];
  const requests: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const before = arm.requests.length;
      const t0 = performance.now();
      const run = await runAzure(arm, { az });
      times.push(performance.now() - t0);
      requests.push(arm.requests.length - before);
      if (run.results.some((r) => r.section !== 'monitoring' && r.status !== 'pass' && r.id !== 'bot.decision')) throw new Error('a check did not pass in the full scenario');
    }
  } finally {
    await arm.close();
  }
  const out = process.env['PREDEPLOY_BENCH_OUT'];
  if (out) writeFileSync(out, JSON.stringify({ times, requests }));
}, 120_000);
