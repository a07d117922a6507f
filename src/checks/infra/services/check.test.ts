import { describe, expect, it } from 'vitest';
import { ORDER_PROCESSING_PROFILE } from '../../../config/profile.js';
import { evaluateCheck, outcomesOf } from '../../../engine/evaluate.js';
import type { ProbeResult } from '../../../engine/types.js';
import type { ProcessInfo, ServicesStatus, ServiceUnitStatus } from '../../../facts/host.js';
import { parsePsList } from '../../../probes/host/processes/parse.js';
import { parseSystemctlShow } from '../../../probes/host/services/parse.js';
import { hostFixture, testFixture } from '../../../../test/probes/fixture.js';
import { check } from './check.js';

const now = new Date('2026-11-26T00:00:00Z');
/** A unit named `name` whose `systemctl show` output is test/fixtures/systemd/show-<file>.txt. */
const unit = (name: string, file: string): ServiceUnitStatus => {
  const r = parseSystemctlShow(name, testFixture(`systemd/show-${file}.txt`));
  if (!r.ok) throw new Error(r.detail);
  return r.value;
};
const services = (...units: ServiceUnitStatus[]): ProbeResult<ServicesStatus> => ({ ok: true, value: { units } });
const HEALTHY = ['workflow-api', 'workflow-worker', 'teams-bot'].map((n) => unit(n, 'workflow-api-healthy'));
const NO_SYSTEMD = { ok: false, reason: 'failed', detail: "no systemd: System has not been booted with systemd as init system (PID 1). Can't operate." } as const;
const ps = (): ProbeResult<ProcessInfo[]> => parsePsList(hostFixture('ps/two-of-three-services.txt'));
const run = (s: ProbeResult<ServicesStatus>, p?: ProbeResult<ProcessInfo[]>) =>
  evaluateCheck(check, outcomesOf(p ? { 'host.services': s, 'host.processes': p } : { 'host.services': s }), { config: ORDER_PROCESSING_PROFILE, now });

describe('infra.services', () => {
  it.each([
    ['all three active, enabled, Restart=on-failure', services(...HEALTHY), 'pass', 'workflow-api: active (running), enabled, Restart=on-failure, NRestarts=0, since Tue 2026-11-24 09:12:01 UTC'],
    ['worker crash-looping', services(HEALTHY[0]!, unit('workflow-worker', 'workflow-worker-flapping'), HEALTHY[2]!), 'fail', 'workflow-worker: activating (auto-restart), enabled, Restart=always, NRestarts=17'],
    ['teams-bot failed, disabled, Restart=no', services(HEALTHY[0]!, HEALTHY[1]!, unit('teams-bot', 'teams-bot-failed-restart-no')), 'fail', 'teams-bot: failed (failed), disabled, Restart=no, NRestarts=0'],
    ['teams-bot running but Restart=no', services(HEALTHY[0]!, HEALTHY[1]!, unit('teams-bot', 'teams-bot-running-no-restart')), 'warn', 'teams-bot: active (running), enabled, Restart=no, NRestarts=0, since Wed 2026-11-25 22:40:17 UTC'],
    ['a unit that is not installed', services(HEALTHY[0]!, HEALTHY[1]!, unit('teams-bot', 'firewalld-not-found')), 'fail', 'teams-bot: LoadState=not-found'],
    ['installed but stopped and disabled (like docker.service on the jc host)', services(unit('workflow-api', 'docker-inactive-disabled')), 'fail', 'workflow-api: inactive (dead), disabled, Restart=always, NRestarts=0'],
    ['one unit unreadable', services(HEALTHY[0]!, { name: 'teams-bot', detail: 'systemctl (exit 1): Failed to get properties: Access denied' }), 'unknown', 'teams-bot: state unknown (systemctl (exit 1): Failed to get properties: Access denied)'],
  ] as const)('%s → %s', (_name, s, status, evidence) => {
    const r = run(s);
    expect(r.status).toBe(status);
    expect(r.evidence.map((e) => e.text)).toContain(evidence);
  });

  it('names every problem in the summary, worst first', () => {
    const r = run(services(HEALTHY[0]!, unit('workflow-worker', 'workflow-worker-flapping'), unit('teams-bot', 'teams-bot-failed-restart-no')));
    expect(r.summary).toBe(
      'workflow-worker keeps crashing (activating, auto-restart); teams-bot is not running (failed/failed); teams-bot does not start at boot (UnitFileState=disabled); teams-bot is not restarted after a crash (Restart=no)',
    );
  });

  it('active but restarted often → warn (flapping)', () => {
    const r = run(services({ ...HEALTHY[0]!, nRestarts: 5 }));
    expect(r.status).toBe('warn');
    expect(r.summary).toBe('workflow-api was restarted 5 times (flapping)');
  });

  it('no systemd (this container): unknown, with the process list as evidence', () => {
    const r = run(NO_SYSTEMD, ps());
    expect(r.status).toBe('unknown');
    expect(r.summary).toBe(
      "could not verify: probe host.services failed: no systemd: System has not been booted with systemd as init system (PID 1). Can't operate.; the process list shows 2 of 3 (workflow-api, workflow-worker)",
    );
    const texts = r.evidence.map((e) => e.text);
    expect(texts[0]).toBe("probe host.services failed: no systemd: System has not been booted with systemd as init system (PID 1). Can't operate.");
    expect(texts).toContain('teams-bot: no process in the process list');
    expect(texts.find((t) => t.startsWith('workflow-worker:'))).toContain('pid 5 (nobody, up 00:02) /usr/bin/node /tmp/pdps/workflow-worker/dist/worker.js');
  });

  it('no systemd and no process list → unknown citing both', () => {
    const r = run(NO_SYSTEMD, { ok: false, reason: 'not-installed', detail: 'ps not found (install the Debian/Ubuntu package procps)' });
    expect(r.status).toBe('unknown');
    expect(r.evidence.map((e) => e.text)).toEqual([
      "probe host.services failed: no systemd: System has not been booted with systemd as init system (PID 1). Can't operate.",
      'probe host.processes not installed: ps not found (install the Debian/Ubuntu package procps)',
    ]);
  });

  it('is a go-live blocker', () => {
    expect(run(services(unit('teams-bot', 'firewalld-not-found'))).blocker).toBe(true);
  });
});
