import { describe, expect, it } from 'vitest';
import { evaluateCheck, outcomesOf } from '../../../engine/evaluate.js';
import { config, NO_CREDENTIALS, NOW } from '../../../../test/fixtures/azure/check-context.js';
import type { Config } from '../../../config/schema.js';
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

  // azure.prod.shareWithDev / bot.registration: same — the discovery resolves prod to the dev resource
  const shared = (over: (c: Config) => void, fact: AzureDiscovery) => evaluateCheck(check, outcomesOf({ 'azure.discovery': { ok: true, value: fact } }), { config: config(over), now: NOW });
  const share = (kinds: Config['azure']['prod']['shareWithDev'], more: (c: Config) => void = () => {}) => (c: Config): void => {
    c.azure.prod.shareWithDev = kinds;
    more(c);
  };
  it.each([
    ['declared shared Key Vault, prod name TBD', share(['keyVault'], (c) => (c.azure.prod.keyVault = 'TBD')), discoveryFact({ keyVault: found(discovered('dev', 'keyVault')) }), 'warn', /prod shares the dev Key Vault, as declared in azure\.prod\.shareWithDev/],
    ['declared shared Cosmos DB, prod name equal to dev', share(['cosmosAccount'], (c) => (c.azure.prod.cosmosAccount = c.azure.dev.cosmosAccount)), discoveryFact({ cosmosAccount: found(discovered('dev', 'cosmosAccount')) }), 'warn', /prod shares the dev Cosmos DB account, as declared/],
    ['declared shared resource group', share(['resourceGroup']), discoveryFact({}, { resourceGroup: found(discovered('prod', 'resourceGroup')) }), 'warn', /prod shares the dev resource group, as declared/],
    ['bot.registration: same shares the Azure Bot', share([], (c) => ((c.bot.registration = 'same'), (c.azure.prod.botName = 'TBD'))), discoveryFact({ botName: found(discovered('dev', 'botName')) }), 'warn', /prod shares the dev Azure Bot, as declared in bot\.registration: same/],
    ['declared shared vault, resource group shared but not declared: both said', share(['keyVault']), discoveryFact({ keyVault: found(discovered('dev', 'keyVault')) }, { resourceGroup: found(discovered('prod', 'resourceGroup')) }), 'warn', /prod shares the dev Key Vault, as declared in azure\.prod\.shareWithDev; and dev and prod share resource group rg-orders-prod \(not declared\)/],
    ['declared shared, but the dev resource is missing', share(['storageAccount']), discoveryFact({ storageAccount: notFound() }), 'fail', /not found: storage account/],
    ['declared shared, another prod name still TBD', share(['keyVault']), discoveryFact({ keyVault: found(discovered('dev', 'keyVault')), vm: tbd() }), 'fail', /production name not decided \(TBD\): VM/],
    ['the same resource, not declared: still a failure', share(['storageAccount']), discoveryFact({ keyVault: found(discovered('dev', 'keyVault')) }), 'fail', /the same resource as dev: Key Vault/],
  ] as const)('shareWithDev: %s', (_n, over, fact, status, summary) => {
    const r = shared(over, fact);
    expect(r.status).toBe(status);
    expect(r.summary).toMatch(summary);
  });

  it('a declared share is evidenced on the shared resource', () => {
    const r = shared((c) => (c.azure.prod.shareWithDev = ['keyVault']), discoveryFact({ keyVault: found(discovered('dev', 'keyVault')) }));
    expect(r.evidence.map((e) => e.text)).toContain('Key Vault keyVault-dev: found in rg-orders-dev (prod shares the dev Key Vault, as declared in azure.prod.shareWithDev)');
  });
});
