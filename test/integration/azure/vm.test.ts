/** `azure.vm` facts (judged by backup.vm-backup and monitoring.azure-monitor-vm) against the fake server. */
import { describe, expect, it } from 'vitest';
import { findCheck } from '../../../src/checks/index.js';
import { defineCheck } from '../../../src/engine/define.js';
import type { AzureVmFact } from '../../../src/facts/azure.js';
import { startFakeArm } from '../../servers/fake-arm.js';
import { runAzure } from './harness.js';

/** A check that only makes the run collect `azure.vm`. */
const needsVm = defineCheck({
  meta: { id: 'backup.vm-facts', section: 'backup', title: 'collects azure.vm', severity: 'low', effort: { size: 'S', hours: [1, 1] }, remediation: { text: 'n/a' }, runs: 'azure.vm' },
  requires: ['azure.vm'],
  evaluate: () => ({ status: 'pass', summary: '', evidence: [] }),
});

async function vmFact(scenario: string): Promise<AzureVmFact> {
  const arm = await startFakeArm({ scenario });
  try {
    const run = await runAzure(arm, { checks: [needsVm], only: [] });
    const o = run.outcomes.get('azure.vm');
    if (!o?.ok) throw new Error(`azure.vm failed: ${JSON.stringify(o)}`);
    return o.value as AzureVmFact;
  } finally {
    await arm.close();
  }
}

describe('azure.vm', () => {
  it('full: the Azure Monitor Agent, the Recovery Services item and its last backup', async () => {
    const f = await vmFact('full');
    expect(f.prod.status).toBe('found');
    if (f.prod.status !== 'found') return;
    expect(f.prod.value.monitorAgent).toMatchObject({ name: 'AzureMonitorLinuxAgent', publisher: 'Microsoft.Azure.Monitor', type: 'AzureMonitorLinuxAgent', provisioningState: 'Succeeded', autoUpgrade: true });
    expect(f.prod.value.osType).toBe('Linux');
    expect(f.prod.value.backup).toMatchObject({
      status: 'found',
      value: { vault: 'rsv-orders-prod', vaultResourceGroup: 'rg-orders-prod', protectionState: 'Protected', healthStatus: 'Passed', lastBackupStatus: 'Completed', lastBackupTime: '2026-11-25T02:14:00.000Z', policy: 'DefaultPolicy' },
    });
    expect(f.prod.value.snapshots).toMatchObject({ status: 'found', value: { count: 0 } });
    // dev: found through discovery (its resource group is TBD), no agent, not backed up
    expect(f.dev).toMatchObject({ status: 'found', value: { resourceGroup: 'rg-orders-dev', backup: { status: 'not-found' } } });
    expect(f.dev.status === 'found' && f.dev.value.monitorAgent).toBeFalsy();
  });

  it('partial: no agent and no vault protects the VM', async () => {
    const f = await vmFact('partial');
    expect(f.prod.status === 'found' && f.prod.value.monitorAgent).toBeFalsy();
    expect(f.prod.status === 'found' && f.prod.value.backup.status).toBe('not-found');
  });

  it('missing: the production VM does not exist (404, not "forbidden")', async () => {
    const f = await vmFact('missing');
    expect(f.prod.status).toBe('not-found');
  });
});

describe('backup.vm-backup judged on the fake server (the Azure side decides)', () => {
  // the fixtures' last backup is 2026-11-25T02:14Z: judge it as of the next day, whatever today is
  const now = () => new Date('2026-11-26T12:00:00Z');
  it.each([
    ['full', 'pass', /^VM pippai-vm-prod backed up by rsv-orders-prod 34 h ago/],
    ['partial', 'fail', /no Recovery Services vault protects VM pippai-vm-prod/],
    ['missing', 'fail', /the production VM does not exist/],
  ] as const)('%s → %s', async (scenario, status, summary) => {
    const arm = await startFakeArm({ scenario });
    try {
      const check = findCheck('backup.vm-backup');
      if (!check) throw new Error('backup.vm-backup is not registered');
      const run = await runAzure(arm, { checks: [check], only: [], now });
      const r = run.results[0];
      expect(r?.status).toBe(status);
      expect(r?.summary).toMatch(summary);
      // the ARM requests behind the verdict are cited
      const refs = r?.evidence.flatMap((e) => e.refs ?? []) ?? [];
      expect(run.log.entries().filter((e) => refs.includes(e.seq) && e.kind === 'http').length).toBeGreaterThan(0);
    } finally {
      await arm.close();
    }
  });
});
