import { describe, expect, it } from 'vitest';
import { evaluateCheck, outcomesOf } from '../../../engine/evaluate.js';
import { config, NO_CREDENTIALS, NOW } from '../../../../test/fixtures/azure/check-context.js';
import type { AzureDnsFact } from '../../../facts/azure.js';
import { dnsFact, forbidden, found, notFound, tbd } from '../../../../test/fixtures/azure/facts.js';
import { check } from './check.js';

const run = (fact: AzureDnsFact | typeof NO_CREDENTIALS) => evaluateCheck(check, outcomesOf({ 'azure.dns': 'ok' in fact ? fact : { ok: true, value: fact } }), { config: config(), now: NOW });

describe('infra.dns', () => {
  it.each([
    ['resolves to the VM, zone agrees', dnsFact(), 'pass', /resolves to the production VM \(20\.50\.60\.70\)/],
    ['zone hosted elsewhere: resolution alone decides', dnsFact({ zoneRecord: notFound('no Azure DNS zone hosts it') }), 'pass', /resolves to the production VM/],
    ['resolves elsewhere', dnsFact({ resolved: found(['51.140.1.2']) }), 'fail', /resolves to 51\.140\.1\.2, not the production VM/],
    ['Azure DNS record differs (propagating)', dnsFact({ zoneRecord: found({ zone: 'z', zoneResourceGroup: 'rg', recordName: 'orders', addresses: ['1.2.3.4'] }) }), 'warn', /the Azure DNS record says 1\.2\.3\.4/],
    ['NXDOMAIN', dnsFact({ resolved: notFound('does not exist (NXDOMAIN)') }), 'fail', /does not exist/],
    ['domain TBD', dnsFact({ domain: 'TBD', resolved: tbd('production domain not decided (domain.prod is TBD)') }), 'fail', /not decided \(TBD\)/],
    ['VM IPs not readable', dnsFact({ vmPublicIps: forbidden() }), 'unknown', /needs Reader/],
  ] as const)('%s', (_n, fact, status, summary) => {
    const r = run(fact);
    expect(r.status).toBe(status);
    expect(r.summary).toMatch(summary);
  });

  it('probe failed → unknown', () => expect(run(NO_CREDENTIALS).status).toBe('unknown'));
});
