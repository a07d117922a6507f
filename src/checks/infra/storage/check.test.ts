import { describe, expect, it } from 'vitest';
import { evaluateCheck, outcomesOf } from '../../../engine/evaluate.js';
import { config, NO_CREDENTIALS, NOW } from '../../../../test/fixtures/azure/check-context.js';
import type { AzureStorageFact } from '../../../facts/azure.js';
import { account, forbidden, found, notFound, storageFact, tbd, timedOut } from '../../../../test/fixtures/azure/facts.js';
import { check } from './check.js';

const run = (fact: AzureStorageFact | typeof NO_CREDENTIALS) => evaluateCheck(check, outcomesOf({ 'azure.storage': 'ok' in fact ? fact : { ok: true, value: fact } }), { config: config(), now: NOW });

describe('infra.storage', () => {
  it.each([
    ['HTTPS, TLS 1.2, no public access, ZRS', storageFact(), 'pass', /HTTPS only, TLS ≥ 1.2, no anonymous blob access, ZRS/],
    ['LRS only', storageFact(found(account('prod', { sku: 'Standard_LRS', redundancy: 'LRS' }))), 'warn', /locally redundant/],
    ['plain HTTP allowed', storageFact(found(account('prod', { httpsOnly: false }))), 'fail', /accepts plain HTTP/],
    ['TLS not set (the published example)', storageFact(found(account('prod', { minimumTlsVersion: undefined }))), 'fail', /minimum TLS version is not set \(TLS 1.0 accepted\)/],
    ['TLS 1.0', storageFact(found(account('prod', { minimumTlsVersion: 'TLS1_0' }))), 'fail', /minimum TLS version is TLS1_0/],
    ['public blob access allowed', storageFact(found(account('prod', { allowBlobPublicAccess: true }))), 'fail', /anonymous blob access is allowed/],
    ['account missing', storageFact(notFound()), 'fail', /does not exist/],
    ['name TBD', storageFact(tbd()), 'fail', /not decided \(TBD\)/],
    ['403', storageFact(forbidden()), 'unknown', /needs Reader/],
    ['timed out', storageFact(timedOut()), 'unknown', /timed out/],
  ] as const)('%s', (_n, fact, status, summary) => {
    const r = run(fact);
    expect(r.status).toBe(status);
    expect(r.summary).toMatch(summary);
  });

  it('probe failed → unknown', () => expect(run(NO_CREDENTIALS).status).toBe('unknown'));
});
