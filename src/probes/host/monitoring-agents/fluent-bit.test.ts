import { describe, expect, it } from 'vitest';
import { fixtureText } from '../../../../test/probes/fixture-dirs.js';
import { parseFluentBit } from './fluent-bit.js';

const parse = (name: string, file = `/etc/fluent-bit/${name}`) => parseFluentBit(fixtureText(`monitoring/fluent-bit/${name}`), file);

describe('parseFluentBit', () => {
  it('classic: [OUTPUT] sections with their destination; credentials only in secrets; @INCLUDE listed', () => {
    const r = parse('azure-and-loki.conf', '/etc/fluent-bit/fluent-bit.conf');
    expect(r.outputs).toEqual([
      { type: 'azure_logs_ingestion', destination: 'https://orders-dce-abcd.uksouth-1.ingest.monitor.azure.com', remote: true, file: '/etc/fluent-bit/fluent-bit.conf', line: 17 },
      { type: 'loki', destination: 'loki.example.net:3100', remote: true, file: '/etc/fluent-bit/fluent-bit.conf', line: 27 },
      { type: 'stdout', remote: false, file: '/etc/fluent-bit/fluent-bit.conf', line: 35 },
    ]);
    expect(r.includes).toEqual(['outputs-*.conf']);
    expect(r.secrets).toEqual(['FAKE-fluentbit-client-secret-0123456789', 'FAKE-loki-password-0123']);
    expect(JSON.stringify(r.outputs)).not.toMatch(/FAKE/);
    expect(r.problems).toEqual([]);
  });

  it('an output without Host uses the plugin default 127.0.0.1: local', () => {
    expect(parse('outputs-extra.conf').outputs).toEqual([
      { type: 'forward', destination: '127.0.0.1', remote: false, file: '/etc/fluent-bit/outputs-extra.conf', line: 2, note: 'no Host set: the plugin default is 127.0.0.1' },
    ]);
  });

  it('stdout only: nothing leaves the host', () => {
    const r = parse('local-only.conf');
    expect(r.outputs.map((o) => [o.type, o.remote])).toEqual([['stdout', false]]);
  });

  it('YAML: pipeline.outputs with lines; the workspace endpoint is derived from customer_id; shared_key kept out', () => {
    const r = parse('azure-data-collector.yaml');
    expect(r.outputs).toEqual([
      { type: 'azure', destination: '4f6d2b1a-8c3e-4d5f-9a7b-2c1e0d9f8a6b.ods.opinsights.azure.com', remote: true, file: '/etc/fluent-bit/azure-data-collector.yaml', line: 17 },
      { type: 'http', destination: '127.0.0.1:8080/ingest', remote: false, file: '/etc/fluent-bit/azure-data-collector.yaml', line: 23 },
    ]);
    expect(r.includes).toEqual(['extra-outputs.yaml']);
    expect(r.secrets).toEqual(['RkFLRS1zaGFyZWQta2V5LWZvci10ZXN0cy0wMTIzNDU2Nzg5']);
  });

  it('broken input is a problem, never quoted', () => {
    expect(parseFluentBit('pipeline:\n  outputs: [\n', '/etc/fluent-bit/x.yaml').problems).toEqual(['/etc/fluent-bit/x.yaml:3: YAML syntax error']);
    expect(parseFluentBit('Name stdout\n', '/etc/fluent-bit/x.conf').problems).toEqual(['/etc/fluent-bit/x.conf:1: not a "Key Value" line inside a [SECTION]']);
    expect(parseFluentBit('[OUTPUT]\n  Match *\n', '/etc/fluent-bit/x.conf').problems).toEqual(['/etc/fluent-bit/x.conf:1: [OUTPUT] without Name']);
  });
});
