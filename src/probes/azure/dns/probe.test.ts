import { describe, expect, it } from 'vitest';
import { parseDohJson, parseGetent } from './probe.js';

describe('azure.dns parsing', () => {
  it('getent ahosts: distinct IPv4 addresses of the first column', () => {
    const out = '20.50.60.70     STREAM orders.pippaoflondon.co.uk\n20.50.60.70     DGRAM  \n20.50.60.70     RAW    \n2001:db8::1     STREAM \n';
    expect(parseGetent(out)).toEqual(['20.50.60.70']);
  });

  it('DNS-over-HTTPS JSON: A records through a CNAME chain; NXDOMAIN is status 3', () => {
    const body = JSON.stringify({ Status: 0, Answer: [{ name: 'orders.example.', type: 5, TTL: 300, data: 'lb.example.' }, { name: 'lb.example.', type: 1, TTL: 60, data: '20.50.60.70' }] });
    expect(parseDohJson(body)).toEqual({ status: 0, addresses: ['20.50.60.70'] });
    expect(parseDohJson('{"Status":3}')).toEqual({ status: 3, addresses: [] });
  });
});
