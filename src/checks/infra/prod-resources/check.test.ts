import { describe, expect, it } from 'vitest';
import { evaluateCheck, outcomesOf } from '../../../engine/evaluate.js';
import { config, NO_CREDENTIALS, NOW } from '../../../../test/fixtures/azure/check-context.js';
import type { AzureDiscovery } from '../../../facts/azure.js';
import { discovered, discoveryFact, forbidden, found, notFound, tbd } from '../../../../test/fixtures/azure/facts.js';
import { check } from './check.js';

const run = (fact: AzureDiscovery | typeof NO_CREDENTIALS) => evaluateCheck(check, outcomesOf({ 'azure.discovery': 'ok' in fact ? fact : { ok: true, value: fact } }), { config: config(), now: NOW });

describe('infra.prod-resources', () => {
  it.each([
    ['every prod resource found, separate from dev', discoveryFact(), 'pass', /every production resource exists/],
    ['names TBD are gaps, not lookups', discoveryFact({ keyVault: tbd(), storageAccount: tbd() }), 'fail', /production name not decided \(TBD\): Key Vault, storage account/],
    ['a resource missing', discoveryFact({ cosmosAccount: notFound() }), 'fail', /not found: Cosmos DB account/],
    ['prod names the dev resource', discoveryFact({ cosmosAccount: found(discovered('dev', 'cosmosAccount')) }), 'fail', /the same resource as dev: Cosmos DB account/],
    ['dev and prod share a resource group', discoveryFact({}, { resourceGroup: found(discovered('prod', 'resourceGroup')) }), 'warn', /share resource group rg-orders-prod/],
    ['listing refused: unknown naming Reader', discoveryFact({ vm: forbidden() }), 'unknown', /not readable: VM \(needs Reader\)/],
  ] as const)('%s', (_n, fact, status, summary) => {
    const r = run(fact);
    expect(r.status).toBe(status);
    expect(r.summary).toMatch(summary);
  });

  it('probe failed → unknown', () => expect(run(NO_CREDENTIALS).status).toBe('unknown'));

  it('a refused listing carries the role as its cause; a TBD name its key', () => {
    expect(run(discoveryFact({ vm: forbidden() })).unverified.map((u) => u.cause)).toEqual([{ kind: 'forbidden', service: 'azure', role: 'Reader' }]);
    expect(run(discoveryFact({ keyVault: tbd('prod Key Vault name not decided (azure.prod.keyVault is TBD)') })).unverified.map((u) => u.cause)).toEqual([{ kind: 'undecided', key: 'azure.prod.keyVault' }]);
  });

  it('dev not readable and configured with the same name as prod: "none is the dev one" is not claimed', () => {
    const c = config((x) => (x.azure.dev.cosmosAccount = x.azure.prod.cosmosAccount));
    const r = evaluateCheck(check, outcomesOf({ 'azure.discovery': { ok: true, value: discoveryFact({}, { cosmosAccount: forbidden() }) } }), { config: c, now: NOW });
    expect(r.status).toBe('unknown');
    expect(r.summary).toMatch(/dev Cosmos DB account \(to tell it from prod: needs Reader\)/);
  });
});
