import { describe, expect, it } from 'vitest';
import { ORDER_PROCESSING_PROFILE } from '../../../config/profile.js';
import { evaluateCheck, outcomesOf } from '../../../engine/evaluate.js';
import type { Status } from '../../../engine/types.js';
import type { LogOutput, MonitoringAgent, MonitoringAgents } from '../../../facts/monitoring.js';
import { check } from './check.js';

const now = new Date('2026-11-26T00:00:00Z');
const agent = (a: Partial<MonitoringAgent> & Pick<MonitoringAgent, 'kind'>): MonitoringAgent => ({
  installed: true, paths: [], configFiles: [], processes: [], running: false, outputs: [], unreadable: [], problems: [], ...a,
});
const proc = (name: string, pid: number) => ({ pid, user: 'root', etime: '01:00', name, command: name });
const loki: LogOutput = { type: 'loki', destination: 'loki.example.net:3100', remote: true, file: '/etc/fluent-bit/fluent-bit.conf', line: 27 };
const stdout: LogOutput = { type: 'stdout', remote: false, file: '/etc/fluent-bit/fluent-bit.conf', line: 35 };
const amaLocal: LogOutput = { type: 'omfwd/tcp', destination: '127.0.0.1:28330', remote: false, file: '/etc/rsyslog.d/10-azuremonitoragent-omfwd.conf', line: 6, note: 'forwards to the local Azure Monitor Agent' };
const rsyslogLocal = agent({ kind: 'rsyslog', running: true, processes: [proc('rsyslogd', 9)], configFiles: ['/etc/rsyslog.conf'] });

const run = (agents: MonitoringAgent[]) => {
  const value: MonitoringAgents = { agents, searched: ['/opt/microsoft/azuremonitoragent', '/etc/fluent-bit/fluent-bit.conf', '/etc/rsyslog.conf'], processCount: 50 };
  return evaluateCheck(check, outcomesOf({ 'host.monitoring-agents': { ok: true, value } }), { config: ORDER_PROCESSING_PROFILE, now });
};

describe('monitoring.log-shipping', () => {
  it.each<[string, MonitoringAgent[], Status, RegExp]>([
    ['pass: AMA running with a data collection rule', [agent({ kind: 'azure-monitor-agent', running: true, processes: [proc('mdsd', 10)], dcrChunks: 1 }), { ...rsyslogLocal, outputs: [amaLocal] }], 'pass', /^logs leave the VM: Azure Monitor Agent runs with a remote destination/],
    ['pass: fluent-bit running with a remote output', [agent({ kind: 'fluent-bit', running: true, processes: [proc('fluent-bit', 20)], outputs: [loki, stdout] }), rsyslogLocal], 'pass', /^logs leave the VM: fluent-bit runs/],
    ['pass: rsyslog forwarding off the VM', [{ ...rsyslogLocal, outputs: [{ type: 'omfwd/tcp', destination: 'logs.example.net:514', remote: true, file: '/etc/rsyslog.d/60-forward.conf', line: 5 }] }], 'pass', /^logs leave the VM: rsyslog runs/],
    ['warn: fluent-bit configured with a remote output but not running', [agent({ kind: 'fluent-bit', outputs: [loki] }), rsyslogLocal], 'warn', /^fluent-bit is configured to ship logs off the VM but not running/],
    ['fail: AMA running without any data collection rule', [agent({ kind: 'azure-monitor-agent', running: true, processes: [proc('mdsd', 10)], dcrChunks: 0 }), rsyslogLocal], 'fail', /^nothing ships logs off the VM \(found: Azure Monitor Agent, rsyslog/],
    ['fail: only local outputs (stdout, rsyslog to files)', [agent({ kind: 'fluent-bit', running: true, processes: [proc('fluent-bit', 20)], outputs: [stdout] }), rsyslogLocal], 'fail', /^nothing ships logs off the VM/],
    ['fail: nothing at all', [], 'fail', /found: no agent or shipper/],
    ['unknown: nothing found but a config could not be read', [agent({ kind: 'fluent-bit', unreadable: [{ path: '/etc/fluent-bit/fluent-bit.conf', reason: 'permission', detail: 'permission denied (run predeploy as root to read it)' }] })], 'unknown', /could not be read/],
  ])('%s', (_name, agents, status, summary) => {
    const r = run(agents);
    expect(r.status).toBe(status);
    expect(r.summary).toMatch(summary);
  });

  it('evidence: one line per agent with state and outputs, plus what was searched', () => {
    const r = run([agent({ kind: 'fluent-bit', running: true, processes: [proc('fluent-bit', 20)], outputs: [stdout] }), rsyslogLocal]);
    expect(r.evidence.map((e) => e.text)).toEqual([
      'fluent-bit: running (fluent-bit pid 20); local outputs only: stdout (/etc/fluent-bit/fluent-bit.conf:35)',
      'rsyslog: running (rsyslogd pid 9); no forwarding output in /etc/rsyslog.conf',
      'looked at 3 paths, e.g. /opt/microsoft/azuremonitoragent, /etc/fluent-bit/fluent-bit.conf, /etc/rsyslog.conf',
    ]);
  });

  it('remote outputs are named with their file and line', () => {
    const r = run([agent({ kind: 'fluent-bit', running: true, processes: [proc('fluent-bit', 20)], outputs: [loki, stdout] })]);
    expect(r.evidence[0]?.text).toBe('fluent-bit: running (fluent-bit pid 20); ships to loki → loki.example.net:3100 (/etc/fluent-bit/fluent-bit.conf:27)');
  });

  it('unknown carries the unreadable path as a permission cause', () => {
    const r = run([agent({ kind: 'fluent-bit', unreadable: [{ path: '/etc/fluent-bit/', reason: 'permission', detail: 'permission denied' }] })]);
    expect(r.unverified).toMatchObject([{ probe: 'host.monitoring-agents', cause: { kind: 'permission', what: '/etc/fluent-bit/' } }]);
  });

  it('probe failed → unknown', () => {
    const r = evaluateCheck(check, outcomesOf({ 'host.monitoring-agents': { ok: false, reason: 'timeout', detail: 'ps did not answer within 5000 ms' } }), { config: ORDER_PROCESSING_PROFILE, now });
    expect(r.status).toBe('unknown');
  });
});
