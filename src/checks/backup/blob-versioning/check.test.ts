import { describe, expect, it } from 'vitest';
import { evaluateCheck, outcomesOf } from '../../../engine/evaluate.js';
import { config, NO_CREDENTIALS, NOW } from '../../../../test/fixtures/azure/check-context.js';
import type { AzureStorageFact, BlobServiceInfo } from '../../../facts/azure.js';
import { account, forbidden, found, notFound, storageFact } from '../../../../test/fixtures/azure/facts.js';
import { check } from './check.js';

const run = (fact: AzureStorageFact | typeof NO_CREDENTIALS) => evaluateCheck(check, outcomesOf({ 'azure.storage': 'ok' in fact ? fact : { ok: true, value: fact } }), { config: config(), now: NOW });
const blob = (o: Partial<BlobServiceInfo>) => storageFact(found(account('prod', { blob: found({ versioning: true, deleteRetention: { enabled: true, days: 14 }, containerDeleteRetention: { enabled: true, days: 14 }, changeFeed: false, pointInTimeRestore: { enabled: false }, ...o }) })));

describe('backup.blob-versioning', () => {
  it.each([
    ['versioning and both soft deletes (14 days)', storageFact(), 'pass', /versioning, blob soft delete \(14 days\) and container soft delete \(14 days\) on/],
    ['no versioning, no container soft delete', blob({ versioning: false, containerDeleteRetention: { enabled: false } }), 'fail', /off: versioning, container soft delete/],
    ['soft delete 3 days', blob({ deleteRetention: { enabled: true, days: 3 } }), 'warn', /less than 7 days/],
    ['blob service not readable', storageFact(found(account('prod', { blob: forbidden() }))), 'unknown', /needs Reader/],
    ['account missing', storageFact(notFound()), 'fail', /does not exist/],
  ] as const)('%s', (_n, fact, status, summary) => {
    const r = run(fact);
    expect(r.status).toBe(status);
    expect(r.summary).toMatch(summary);
  });

  it('probe failed → unknown', () => expect(run(NO_CREDENTIALS).status).toBe('unknown'));
});
