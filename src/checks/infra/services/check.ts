import { defineCheck } from '../../../engine/define.js';
import { failedProbeEvidence } from '../../../engine/evaluate.js';
import type { Evidence } from '../../../engine/types.js';
import type { ProcessInfo, ServiceUnitStatus } from '../../../facts/host.js';


/**
 * Restart policies that bring a crashed service back (systemd.service(5), "Restart="):
 * `on-failure` covers non-zero exits, signals, timeouts and the watchdog; `always` covers clean exits too.
 */
const RESTARTING = new Set(['on-failure', 'always']);
/** Unit file states that start the unit at boot (systemctl(1), "is-enabled" table). */
const ENABLED = new Set(['enabled', 'alias', 'generated']);
/** systemd restarted it this many times since it was last started by hand: it keeps crashing. */
const FLAPPING_RESTARTS = 3;

/** `active (running), enabled, Restart=on-failure, NRestarts=0` */
function unitText(u: ServiceUnitStatus): string {
  if (u.detail !== undefined) return `${u.name}: state unknown (${u.detail})`;
  if (u.loadState !== 'loaded') return `${u.name}: LoadState=${u.loadState ?? '?'}`;
  const parts = [`${u.activeState ?? '?'} (${u.subState ?? '?'})`, u.unitFileState ?? 'no unit file state', `Restart=${u.restart ?? '?'}`];
  if (u.nRestarts !== undefined) parts.push(`NRestarts=${u.nRestarts}`);
  if (u.execMainStartTimestamp !== undefined && u.activeState === 'active') parts.push(`since ${u.execMainStartTimestamp}`);
  return `${u.name}: ${parts.join(', ')}`;
}

/** The problems of one unit, worst first: `fail` ones make the check fail, `warn` ones warn. */
function judge(u: ServiceUnitStatus): { fail: string[]; warn: string[]; unknown: string[] } {
  const out = { fail: [] as string[], warn: [] as string[], unknown: [] as string[] };
  if (u.detail !== undefined) {
    out.unknown.push(`${u.name}: state unknown`);
    return out;
  }
  if (u.loadState === 'not-found') {
    out.fail.push(`${u.name} is not installed (no unit file)`);
    return out;
  }
  if (u.loadState === 'masked' || u.unitFileState === 'masked') {
    out.fail.push(`${u.name} is masked (it cannot be started)`);
    return out;
  }
  if (u.loadState !== 'loaded') {
    out.fail.push(`${u.name} did not load (LoadState=${u.loadState ?? '?'})`);
    return out;
  }
  const active = u.activeState === 'active' || u.activeState === 'reloading';
  if (u.activeState === 'activating' && u.subState === 'auto-restart') out.fail.push(`${u.name} keeps crashing (activating, auto-restart)`);
  else if (u.activeState === 'activating') out.warn.push(`${u.name} is still starting (${u.subState ?? '?'})`);
  else if (!active) out.fail.push(`${u.name} is not running (${u.activeState ?? '?'}/${u.subState ?? '?'})`);
  if (!ENABLED.has(u.unitFileState ?? '')) out.warn.push(`${u.name} does not start at boot (UnitFileState=${u.unitFileState ?? ''})`);
  if (!RESTARTING.has(u.restart ?? '')) out.warn.push(`${u.name} is not restarted after a crash (Restart=${u.restart ?? '?'})`);
  if ((u.nRestarts ?? 0) >= FLAPPING_RESTARTS && u.subState !== 'auto-restart') out.warn.push(`${u.name} was restarted ${u.nRestarts ?? 0} times (flapping)`);
  return out;
}

/** Processes whose command line names the service (`/usr/bin/node /opt/workflow-api/dist/server.js`). */
function processesOf(name: string, processes: readonly ProcessInfo[]): ProcessInfo[] {
  const needle = name.replace(/\.service$/, '').toLowerCase();
  // kernel threads print as `[name]`; our own `ps` never names a service
  return processes.filter((p) => !p.args.startsWith('[') && !p.args.startsWith('ps ') && p.args.toLowerCase().includes(needle));
}

/** `workflow-api: 1 process: pid 4242 (app, up 2-03:04:05) /usr/bin/node /opt/workflow-api/dist/server.js` */
function processText(name: string, processes: readonly ProcessInfo[]): string {
  const found = processesOf(name, processes);
  if (found.length === 0) return `${name}: no process in the process list`;
  const shown = found.slice(0, 3).map((p) => `pid ${p.pid} (${p.user}, up ${p.etime}) ${p.args.length > 120 ? `${p.args.slice(0, 120)}…` : p.args}`);
  return `${name}: ${found.length} process(es): ${shown.join('; ')}${found.length > 3 ? '; …' : ''}`;
}

/**
 * Each service of the order-processing stack (config.services: workflow-api, workflow-worker,
 * teams-bot) runs under systemd, starts at boot and is restarted when it crashes
 * (systemd.service(5): https://www.freedesktop.org/software/systemd/man/latest/systemd.service.html#Restart=).
 * Without systemd the unit state cannot be known: the check is `unknown` and shows what the
 * process list says instead — a running process is a hint, not proof of supervision.
 */
export const check = defineCheck({
  meta: {
    id: 'infra.services',
    section: 'infra',
    title: 'The services run under systemd: active, enabled at boot and restarted on failure',
    severity: 'critical',
    blocker: true,
    effort: { size: 'M', hours: [1, 4] },
    remediation: {
      text:
        'Run each service (workflow-api, workflow-worker, teams-bot) as a systemd unit with Restart=on-failure (or always) and RestartSec=5, ' +
        'enable it so it starts at boot, start it, and read `journalctl -u <unit>` for any that fails or keeps restarting.',
      command: 'sudo systemctl enable --now workflow-api workflow-worker teams-bot && systemctl show workflow-api -p ActiveState,UnitFileState,Restart,NRestarts',
      url: 'https://www.freedesktop.org/software/systemd/man/latest/systemd.service.html#Restart=',
    },
    runs: 'systemctl show <unit> -p LoadState,ActiveState,SubState,UnitFileState,Restart,RestartUSec,NRestarts,... (and ps -eo pid,user,etime,args)',
  },
  // host.services is read by hand so that, without systemd, the process list still shows up as evidence.
  requires: [],
  uses: ['host.services', 'host.processes'],
  evaluate(facts, { config }) {
    const services = facts.maybe('host.services');
    if (services === undefined || !services.ok) {
      const processes = facts.maybe('host.processes');
      const evidence: Evidence[] = [];
      const why = services === undefined ? 'probe host.services did not run' : failedProbeEvidence('host.services', services).text;
      evidence.push(services === undefined ? { text: why } : { text: why, refs: services.refs });
      let seen = '';
      if (processes?.ok) {
        evidence.push(...config.services.map((name) => ({ text: processText(name, processes.value), refs: processes.refs })));
        const running = config.services.filter((name) => processesOf(name, processes.value).length > 0);
        seen = `; the process list shows ${running.length} of ${config.services.length} (${running.length > 0 ? running.join(', ') : 'none'})`;
      } else if (processes !== undefined) {
        evidence.push(failedProbeEvidence('host.processes', processes));
      }
      return { status: 'unknown', summary: `could not verify: ${why}${seen}`, evidence };
    }

    const units = services.value.units;
    const evidence: Evidence[] = units.map((u) => ({ text: unitText(u) }));
    const judged = units.map(judge);
    const fails = judged.flatMap((j) => j.fail);
    const warns = judged.flatMap((j) => j.warn);
    const unknowns = judged.flatMap((j) => j.unknown);
    if (fails.length > 0) return { status: 'fail', summary: [...fails, ...warns].join('; '), evidence };
    if (unknowns.length > 0) return { status: 'unknown', summary: `could not verify: ${unknowns.join('; ')}`, evidence };
    if (warns.length > 0) return { status: 'warn', summary: warns.join('; '), evidence };
    return {
      status: 'pass',
      summary: `${units.length} service(s) active, enabled at boot and restarted on failure: ${units.map((u) => u.name).join(', ')}`,
      evidence,
    };
  },
});
