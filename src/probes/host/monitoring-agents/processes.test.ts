import { describe, expect, it } from 'vitest';
import { fixtureText } from '../../../../test/probes/fixture-dirs.js';
import { parsePsList } from '../processes/parse.js';
import { agentProcesses, classifyProcess, configPathsOf } from './processes.js';

const parsePs = (text: string) => {
  const r = parsePsList(text);
  if (!r.ok) throw new Error(r.detail);
  return r.value;
};

const agents = (name: string) => {
  const map = agentProcesses(parsePs(fixtureText(`monitoring/ps/${name}`)));
  return Object.fromEntries([...map].map(([k, v]) => [k, v.map((p) => `${p.name}:${p.pid}:${p.user}`)]));
};

describe('ps -eo pid,user,etime,args', () => {
  it('the captures parse with the host.processes parser', () => {
    const rows = parsePs(fixtureText('monitoring/ps/nothing.txt'));
    expect(rows).toHaveLength(9);
    expect(rows[4]).toEqual({ pid: 5, user: 'www-data', etime: '00:01', args: 'nginx: worker process' });
  });

  it('Azure Monitor Agent processes, including its own fluent-bit (not a separate shipper)', () => {
    expect(agents('ama-running.txt')).toEqual({
      rsyslog: ['rsyslogd:9:root'],
      'azure-monitor-agent': ['agentlauncher:10:root', 'mdsd:11:nobody', 'amacoreagent:12:root', 'fluent-bit:13:root'],
    });
  });

  it('the legacy OMS agent is the Ruby process running omsagent; OMI is not counted', () => {
    expect(agents('oms-legacy.txt')).toEqual({ rsyslog: ['rsyslogd:9:root'], 'oms-agent': ['omsagent:10:nobody'] });
  });

  it("shippers; the Linux Diagnostic Extension's mdsd is not the Azure Monitor Agent", () => {
    expect(agents('shippers.txt')).toEqual({
      rsyslog: ['rsyslogd:9:root'],
      'fluent-bit': ['fluent-bit:10:root'],
      vector: ['vector:11:nobody'],
      promtail: ['promtail:12:root'],
      'journal-upload': ['systemd-journal-upload:13:nobody'],
    });
  });

  it('no agent at all', () => {
    expect(agents('nothing.txt')).toEqual({});
  });

  it.each([
    ['tail -f /opt/microsoft/omsagent/bin/omsagent', undefined],
    ['[kworker/0:1-events]', undefined],
    ['/opt/td-agent-bit/bin/td-agent-bit -c /etc/td-agent-bit/td-agent-bit.conf', 'fluent-bit'],
    ['/usr/bin/mdsd -A -c /etc/opt/microsoft/azuremonitoragent/mdsd.xml', 'azure-monitor-agent'],
  ])('%s → %s', (args, kind) => {
    expect(classifyProcess(args)?.kind).toBe(kind);
  });

  it('configuration files named on the command line', () => {
    expect(configPathsOf('/opt/fluent-bit/bin/fluent-bit -c //etc/fluent-bit/fluent-bit.conf')).toEqual(['/etc/fluent-bit/fluent-bit.conf']);
    expect(configPathsOf('/usr/bin/vector --config /etc/vector/vector.toml')).toEqual(['/etc/vector/vector.toml']);
    expect(configPathsOf('/usr/bin/vector --config-yaml=/srv/vector.yaml')).toEqual(['/srv/vector.yaml']);
    expect(configPathsOf('/usr/bin/promtail -config.file /etc/promtail/config.yml')).toEqual(['/etc/promtail/config.yml']);
    expect(configPathsOf('/usr/bin/promtail -config.file=relative.yml')).toEqual([]);
  });
});
