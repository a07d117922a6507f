import { describe, expect, it } from 'vitest';
import { fixtureText } from '../../../../test/probes/fixture-dirs.js';
import { parseVector } from './vector.js';

const parse = (name: string, file = `/etc/vector/${name}`) => parseVector(fixtureText(`monitoring/vector/${name}`), file);

describe('parseVector', () => {
  it('YAML: a loki sink with user info in the endpoint (dropped) and a console sink', () => {
    const r = parse('loki-and-console.yaml', '/etc/vector/vector.yaml');
    expect(r.outputs).toEqual([
      { type: 'loki (sink loki)', destination: 'https://logs-prod.example.net', remote: true, file: '/etc/vector/vector.yaml', line: 8 },
      { type: 'console (sink debug)', remote: false, file: '/etc/vector/vector.yaml', line: 21 },
    ]);
    expect(r.secrets).toEqual(['FAKE-vector-password', 'FAKE-vector-basic-password']);
    expect(JSON.stringify(r.outputs)).not.toContain('FAKE');
  });

  it('TOML: azure_monitor_logs (remote by type), vector to 127.0.0.1 (local), file (local)', () => {
    const r = parse('azure-monitor-logs.toml', '/etc/vector/vector.toml');
    expect(r.outputs).toEqual([
      { type: 'azure_monitor_logs (sink workspace)', remote: true, file: '/etc/vector/vector.toml', line: 6 },
      { type: 'vector (sink local_collector)', destination: '127.0.0.1:6000', remote: false, file: '/etc/vector/vector.toml', line: 13 },
      { type: 'file (sink archive)', remote: false, file: '/etc/vector/vector.toml', line: 18 },
    ]);
    expect(r.secrets).toEqual(['RkFLRS12ZWN0b3Itc2hhcmVkLWtleQ==']);
  });

  it('TOML sub-tables and arrays: [sinks.x.auth] password is a secret; endpoints[0] is the destination', () => {
    const r = parseVector('[sinks.es]\ntype = "elasticsearch"\nendpoints = ["https://es1.example.net:9200", "https://es2.example.net:9200"]\n[sinks.es.auth]\nstrategy = "basic"\npassword = "FAKE-es"\n', '/etc/vector/vector.toml');
    expect(r.outputs).toEqual([{ type: 'elasticsearch (sink es)', destination: 'https://es1.example.net:9200', remote: true, file: '/etc/vector/vector.toml', line: 1 }]);
    expect(r.secrets).toEqual(['FAKE-es']);
  });

  it('a sink without a type is a problem; broken YAML is reported without quoting it', () => {
    expect(parseVector('sinks:\n  x:\n    inputs: [a]\n', '/etc/vector/vector.yaml').problems).toEqual(['/etc/vector/vector.yaml:2: sink x without a type']);
    expect(parseVector('sinks: [\n', '/etc/vector/vector.yaml').problems).toEqual(['/etc/vector/vector.yaml:2: YAML syntax error']);
  });
});
