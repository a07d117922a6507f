import { describe, expect, it } from 'vitest';
import { evaluateCheck, outcomesOf } from '../../../engine/evaluate.js';
import { config, NO_CREDENTIALS, NOW } from '../../../../test/fixtures/azure/check-context.js';
import type { AzureCosmosFact } from '../../../facts/azure.js';
import { cosmos, cosmosFact, found, notFound } from '../../../../test/fixtures/azure/facts.js';
import { check } from './check.js';

const run = (fact: AzureCosmosFact | typeof NO_CREDENTIALS) => evaluateCheck(check, outcomesOf({ 'azure.cosmos': 'ok' in fact ? fact : { ok: true, value: fact } }), { config: config(), now: NOW });
const periodic = (intervalMinutes: number, retentionHours: number) => cosmosFact(found(cosmos('prod', { backup: { type: 'Periodic', intervalMinutes, retentionHours, storageRedundancy: 'Geo' } })));

describe('backup.cosmos-policy', () => {
  it.each([
    ['continuous 30 days', cosmosFact(), 'pass', /continuous backup \(Continuous30Days\)/],
    ['periodic default (4 h / 8 h): short retention', periodic(240, 8), 'fail', /kept only 8 hours/],
    ['periodic 4 h / 7 days', periodic(240, 168), 'pass', /every 240 minutes, kept 168 hours/],
    ['periodic daily / 30 days', periodic(1440, 720), 'warn', /every 1440 minutes/],
    ['policy not reported', cosmosFact(found(cosmos('prod', { backup: { type: 'unknown' } }))), 'unknown', /not reported/],
    ['account missing', cosmosFact(notFound()), 'fail', /does not exist/],
  ] as const)('%s', (_n, fact, status, summary) => {
    const r = run(fact);
    expect(r.status).toBe(status);
    expect(r.summary).toMatch(summary);
  });

  it('probe failed → unknown', () => expect(run(NO_CREDENTIALS).status).toBe('unknown'));
});
