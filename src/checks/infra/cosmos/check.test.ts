import { describe, expect, it } from 'vitest';
import { evaluateCheck, outcomesOf } from '../../../engine/evaluate.js';
import { config, NO_CREDENTIALS, NOW } from '../../../../test/fixtures/azure/check-context.js';
import type { AzureCosmosFact } from '../../../facts/azure.js';
import { cosmos, cosmosFact, forbidden, found, notFound, tbd } from '../../../../test/fixtures/azure/facts.js';
import { check } from './check.js';

const run = (fact: AzureCosmosFact | typeof NO_CREDENTIALS) => evaluateCheck(check, outcomesOf({ 'azure.cosmos': 'ok' in fact ? fact : { ok: true, value: fact } }), { config: config(), now: NOW });

describe('infra.cosmos', () => {
  it.each([
    ['own account, private, zone redundant', cosmosFact(), 'pass', /its own account/],
    ['shared with dev: warn, with why', cosmosFact(undefined, { shared: true }), 'warn', /shared with dev: dev code and dev credentials can read and change production data/],
    ['public with no rules, one region', cosmosFact(found(cosmos('prod', { publicNetworkAccess: 'Enabled', locations: [{ name: 'UK South', zoneRedundant: false }] }))), 'warn', /reachable from every network.*one region without zone redundancy/],
    ['missing', cosmosFact(notFound()), 'fail', /does not exist/],
    ['TBD', cosmosFact(tbd()), 'fail', /TBD/],
    ['403', cosmosFact(forbidden()), 'unknown', /needs Reader/],
  ] as const)('%s', (_n, fact, status, summary) => {
    const r = run(fact);
    expect(r.status).toBe(status);
    expect(r.summary).toMatch(summary);
  });

  it('probe failed → unknown', () => expect(run(NO_CREDENTIALS).status).toBe('unknown'));
});
