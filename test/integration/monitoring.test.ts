/**
 * host.monitoring-agents against the real `ps` and real files: this container as it is (rsyslog
 * installed, no agent), then a staged host — a temp tree with the agents' paths and stand-in
 * processes whose command lines are the agents' own (Perl's $0) — and the real rsyslogd
 * validating every rsyslog fixture. A missing tool fails the test with the package to install.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check as azureMonitorVm } from '../../src/checks/monitoring/azure-monitor-vm/check.js';
import { check as logShipping } from '../../src/checks/monitoring/log-shipping/check.js';
import { ORDER_PROCESSING_PROFILE } from '../../src/config/profile.js';
import { evaluateCheck, outcomesOf } from '../../src/engine/evaluate.js';
import type { ProbeOutcome } from '../../src/engine/types.js';
import type { ProcessInfo } from '../../src/facts/host.js';
import { collectMonitoringAgents } from '../../src/probes/host/monitoring-agents/probe.js';
import { processesProbe } from '../../src/probes/host/processes/probe.js';
import { realContext, requireTool, type RealContext } from '../helpers/real-context.js';
import { fixturePath, fixtureText } from '../probes/fixture-dirs.js';

const checkCtx = () => ({ config: ORDER_PROCESSING_PROFILE, now: new Date() });

/** A real context whose host.processes dependency is the real processes probe (real `ps`). */
function hostContext(): RealContext {
  const ctx = realContext();
  ctx.probe = (async (id: string) => {
    if (id !== 'host.processes') throw new Error(`probe ${id} not available`);
    return { ...(await processesProbe.collect(ctx)), refs: [], durationMs: 0 } as ProbeOutcome<ProcessInfo[]>;
  }) as RealContext['probe'];
  return ctx;
}

describe('monitoring agents on a real host', () => {
  it('this container: rsyslog writes local files only, no agent → both checks fail', async () => {
    await requireTool('rsyslogd', 'rsyslog');
    const r = await collectMonitoringAgents(hostContext());
    if (!r.ok) throw new Error(r.detail);
    expect(r.value.processCount).toBeGreaterThan(1);
    const rsyslog = r.value.agents.find((a) => a.kind === 'rsyslog');
    expect(rsyslog?.configFiles).toContain('/etc/rsyslog.conf');
    expect(rsyslog?.outputs.filter((o) => o.remote)).toEqual([]);
    expect(r.value.agents.map((a) => a.kind)).not.toContain('azure-monitor-agent');
    const outcomes = outcomesOf({ 'host.monitoring-agents': r });
    expect(evaluateCheck(azureMonitorVm, outcomes, checkCtx()).status).toBe('fail');
    expect(evaluateCheck(logShipping, outcomes, checkCtx()).status).toBe('fail');
  });

  it('every rsyslog fixture is a valid configuration for the real rsyslogd (-N1)', async () => {
    await requireTool('rsyslogd', 'rsyslog');
    const dir = fixturePath('monitoring/rsyslog');
    for (const name of (await readdir(dir)).filter((n) => n.endsWith('.conf'))) {
      const res = await realContext().exec(['rsyslogd', '-N1', '-f', join(dir, name)]);
      expect(`${name}: ${res.stderr.trim().split('\n').pop() ?? ''}`).toBe(`${name}: rsyslogd: End of config validation run. Bye.`);
    }
  });

  describe('a staged host: AMA with a data collection rule, fluent-bit shipping to Loki', () => {
    let root = '';
    const children: ChildProcess[] = [];
    const stage = async (path: string, content: string) => {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), content);
    };
    /** A process whose command line (as ps shows it) is `cmdline`. */
    const standIn = (cmdline: string) => {
      const child = spawn('perl', ['-e', '$0 = shift; sleep 120', cmdline], { stdio: 'ignore' });
      children.push(child);
    };

    beforeAll(async () => {
      await requireTool('perl', 'perl-base');
      root = await mkdtemp(join(tmpdir(), 'predeploy-monitoring-'));
      await stage('opt/microsoft/azuremonitoragent/bin/mdsd', '');
      await stage('etc/opt/microsoft/azuremonitoragent/config-cache/configchunks/4b1c2a3e.json', '{}');
      await stage('etc/rsyslog.conf', fixtureText('monitoring/rsyslog/debian12-default.rsyslog.conf'));
      await stage('etc/rsyslog.d/10-azuremonitoragent-omfwd.conf', fixtureText('monitoring/rsyslog/10-azuremonitoragent-omfwd.conf'));
      await stage('opt/fluent-bit/bin/fluent-bit', '');
      await stage('etc/fluent-bit/fluent-bit.conf', fixtureText('monitoring/fluent-bit/azure-and-loki.conf'));
      standIn('/opt/microsoft/azuremonitoragent/bin/mdsd -A -R -c /etc/opt/microsoft/azuremonitoragent/mdsd.xml -d -r /run/azuremonitoragent/default');
      standIn('/opt/microsoft/azuremonitoragent/bin/amacoreagent -c /etc/opt/microsoft/azuremonitoragent/amacoreagent --configport 12563');
      standIn('/opt/fluent-bit/bin/fluent-bit -c //etc/fluent-bit/fluent-bit.conf');
      // wait until ps shows the stand-ins with their new command lines
      for (let i = 0; i < 50; i++) {
        const ps = await realContext().exec(['ps', '-eo', 'pid,user,etime,args']);
        if ((ps.stdout.match(/^\s*\d+\s+\S+\s+\S+\s+\/opt\/(?:microsoft\/azuremonitoragent|fluent-bit)\/bin\//gm) ?? []).length >= 3) break;
        await new Promise((r) => setTimeout(r, 100));
      }
    });
    afterAll(async () => {
      for (const c of children) c.kill();
      if (root !== '') await rm(root, { recursive: true, force: true });
    });

    it('the probe sees the real processes and the staged files; azure-monitor-vm and log-shipping pass', async () => {
      const ctx = hostContext();
      const secrets: string[] = [];
      ctx.addSecret = (s) => secrets.push(s);
      const r = await collectMonitoringAgents(ctx, root);
      if (!r.ok) throw new Error(r.detail);
      const ama = r.value.agents.find((a) => a.kind === 'azure-monitor-agent');
      expect(ama).toMatchObject({ installed: true, running: true, dcrChunks: 1 });
      expect(ama?.processes.map((p) => p.name).sort()).toEqual(['amacoreagent', 'mdsd']);
      const fluentBit = r.value.agents.find((a) => a.kind === 'fluent-bit');
      expect(fluentBit).toMatchObject({ installed: true, running: true, configFiles: ['/etc/fluent-bit/fluent-bit.conf'] });
      expect(fluentBit?.outputs.filter((o) => o.remote).map((o) => o.destination)).toEqual(['https://orders-dce-abcd.uksouth-1.ingest.monitor.azure.com', 'loki.example.net:3100']);
      expect(secrets).toEqual(['FAKE-fluentbit-client-secret-0123456789', 'FAKE-loki-password-0123']);
      const outcomes = outcomesOf({ 'host.monitoring-agents': r });
      const vm = evaluateCheck(azureMonitorVm, outcomes, checkCtx());
      // the host side passes; without Azure facts the VM extension side is not verified, so the
      // check is never better than unknown
      expect(vm.status).toBe('unknown');
      expect(vm.unverified.map((u) => u.probe)).toEqual(['azure.vm']);
      expect(vm.summary).toMatch(/^Azure Monitor Agent installed and running/);
      expect(vm.evidence.map((e) => e.text)).toContain('Azure side (VM extension) not verified: not run');
      const shipping = evaluateCheck(logShipping, outcomes, checkCtx());
      expect(shipping.status).toBe('pass');
      expect(shipping.summary).toMatch(/^logs leave the VM: Azure Monitor Agent, fluent-bit run with a remote destination/);
    });
  });
});
