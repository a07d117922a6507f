/**
 * host.services, host.processes and infra.services against the real systemctl and ps of this
 * machine. In this container systemd is not PID 1, so systemctl answers "System has not been
 * booted with systemd" and the check must be `unknown` with the process list as evidence —
 * shown here with a real process whose command line names workflow-api. On a machine booted
 * with systemd the configured units do not exist, so the check must fail with LoadState=not-found.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/checks/infra/services/check.js';
import { ORDER_PROCESSING_PROFILE } from '../../src/config/profile.js';
import { evaluateCheck, outcomesOf } from '../../src/engine/evaluate.js';
import { processesProbe } from '../../src/probes/host/processes/probe.js';
import { servicesProbe } from '../../src/probes/host/services/probe.js';
import { requireTool } from '../helpers/real-context.js';
import { policedContext } from '../probes/policed-context.js';

const checkCtx = () => ({ config: ORDER_PROCESSING_PROFILE, now: new Date() });

/** sd_booted(3): systemd is the init system when /run/systemd/system exists. */
const systemdBooted = async () => (await stat('/run/systemd/system').catch(() => null))?.isDirectory() === true;

describe('services on this machine (real systemctl and ps)', () => {
  let dir = '';
  let api: ChildProcess | undefined;

  beforeAll(async () => {
    await requireTool('systemctl', 'systemd');
    await requireTool('ps', 'procps');
    dir = await mkdtemp(join(tmpdir(), 'predeploy-svc-'));
    await mkdir(join(dir, 'workflow-api'));
    await writeFile(join(dir, 'workflow-api', 'server.js'), 'setTimeout(() => {}, 600000);\n');
    // a stand-in for the API: a real process whose command line names the service
    api = spawn(process.execPath, [join(dir, 'workflow-api', 'server.js')], { stdio: 'ignore' });
    await new Promise((r) => api?.once('spawn', r));
  });

  afterAll(async () => {
    if (api && api.exitCode === null && api.pid !== undefined) {
      const exited = new Promise((r) => api?.once('exit', r));
      process.kill(api.pid, 'SIGTERM');
      await exited;
    }
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it('systemctl show for each unit, ps for the process list → infra.services verdict', async () => {
    const [services, processes] = await Promise.all([servicesProbe.collect(policedContext()), processesProbe.collect(policedContext())]);
    expect(processes.ok).toBe(true);
    if (!processes.ok) return;
    expect(processes.value.find((p) => p.pid === api?.pid)?.args).toBe(`${process.execPath} ${join(dir, 'workflow-api', 'server.js')}`);
    const result = evaluateCheck(check, outcomesOf({ 'host.services': services, 'host.processes': processes }), checkCtx());

    if (await systemdBooted()) {
      expect(services).toMatchObject({ ok: true, value: { units: [{ name: 'workflow-api', loadState: 'not-found' }, {}, {}] } });
      expect(result.status).toBe('fail');
      expect(result.evidence.map((e) => e.text)).toContain('workflow-api: LoadState=not-found');
      return;
    }
    expect(services).toEqual({ ok: false, reason: 'failed', detail: "no systemd: System has not been booted with systemd as init system (PID 1). Can't operate." });
    expect(result.status).toBe('unknown');
    const texts = result.evidence.map((e) => e.text);
    expect(texts[0]).toBe("probe host.services failed: no systemd: System has not been booted with systemd as init system (PID 1). Can't operate.");
    expect(texts.find((t) => t.startsWith('workflow-api:'))).toContain(`pid ${api?.pid ?? 0} (`);
    expect(texts).toContain('teams-bot: no process in the process list');
    expect(result.summary).toMatch(/the process list shows [1-3] of 3 \(workflow-api/);
  });
});
