/**
 * Azure discovery end to end: a fake Instance Metadata Service on 127.0.0.1 says this VM is
 * `pippai-vm-prod` in resource group `rg-orders` (tag environment=production); with credentials
 * (a fake `az` on PATH) the group's resources are listed through the official SDK
 * (@azure/arm-resources, Resources - List By Resource Group) over the run's HTTP gate, from the
 * loopback fake ARM serving test/fixtures/azure/tagged: dev's and prod's Key Vault, storage,
 * Cosmos DB and bot side by side, told apart only by their env/environment tag. A 403 on the
 * listing is "could not look" with the role that would allow it — never an empty group.
 */
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORDER_PROCESSING_PROFILE } from '../../src/config/profile.js';
import type { Config } from '../../src/config/schema.js';
import { discover } from '../../src/discovery/index.js';
import { createProbeSession } from '../../src/engine/run.js';
import { PROBES } from '../../src/probes/index.js';
import { Redactor } from '../../src/safety/redactor.js';
import { ARM_TOKEN_CANARY, fakeAz, type FakeAz } from '../servers/fake-az.js';
import { startFakeArm, type Fault, type FakeArm } from '../servers/fake-arm.js';
import { PathTarget } from '../servers/path-target.js';

const RG = 'rg-orders';
let imds: Server;
let imdsUrl = '';
let imdsBody = '';
let dir = '';

beforeAll(async () => {
  // Microsoft's documented answer (test/fixtures/imds), edited in code: our VM, group and tag
  const doc = JSON.parse(await readFile(new URL('../fixtures/imds/instance-documented.json', import.meta.url), 'utf8')) as { compute: Record<string, unknown> };
  Object.assign(doc.compute, {
    subscriptionId: '00000000-0000-0000-0000-000000000000',
    resourceGroupName: RG,
    name: 'pippai-vm-prod',
    location: 'uksouth',
    tags: 'environment:production',
    tagsList: [{ name: 'environment', value: 'production' }],
  });
  imdsBody = JSON.stringify(doc);
  imds = createServer((req, res) => {
    if (req.headers['metadata'] !== 'true') res.writeHead(400).end('{"error":"Bad request"}');
    else res.writeHead(200, { 'content-type': 'application/json' }).end(imdsBody);
  });
  await new Promise<void>((r) => imds.listen(0, '127.0.0.1', r));
  const a = imds.address();
  if (a === null || typeof a === 'string') throw new Error('no port');
  imdsUrl = `http://127.0.0.1:${a.port}`;
  dir = await mkdtemp(join(tmpdir(), 'predeploy-azure-discovery-'));
});

afterAll(async () => {
  await new Promise<void>((r) => imds.close(() => r()));
  await rm(dir, { recursive: true, force: true });
});

async function discoverOn(arm: FakeArm, az: FakeAz) {
  const config: Config = structuredClone(ORDER_PROCESSING_PROFILE);
  config.azure = { ...config.azure, armEndpoint: arm.url, credential: 'cli', caFile: arm.caFile };
  const redactor = new Redactor();
  const session = createProbeSession({
    root: dir,
    scratchDir: dir,
    target: new PathTarget(`${az.dir}:/usr/bin:/bin`),
    probes: PROBES,
    offline: false,
    refreshApt: false,
    timeoutMs: 15_000,
    concurrency: 8,
    isRoot: true,
    redactor,
    signal: new AbortController().signal,
  });
  const d = await discover(session.scope(config).context('discovery'), { imds: { endpoint: imdsUrl, force: true } });
  const log = session.log
    .entries()
    .map((e) => `${e.kind} ${e.action} → ${e.result}\n${e.output}`)
    .join('\n');
  return { d, log, byPath: Object.fromEntries(d.values.map((v) => [v.path, v])) };
}

async function withArm<T>(faults: Fault[], fn: (arm: FakeArm, az: FakeAz) => Promise<T>): Promise<T> {
  const arm = await startFakeArm({ scenario: 'tagged', faults });
  try {
    return await fn(arm, fakeAz({ subscriptionId: arm.subscriptionId, tenantId: arm.tenantId }));
  } finally {
    await arm.close();
  }
}

describe('Azure discovery: IMDS, then the resource group by type and tag', () => {
  it('prod names come from the prod-tagged resources, dev ones are reported as dev', async () => {
    await withArm([], async (arm, az) => {
      const { d, log, byPath } = await discoverOn(arm, az);
      const value = (p: string) => byPath[p]?.value;
      // from IMDS
      expect(value('azure.subscriptionId')).toBe(arm.subscriptionId);
      expect(value('azure.prod.resourceGroup')).toBe(RG);
      expect(value('azure.prod.vm')).toBe('pippai-vm-prod');
      // from the listing, by type and tag
      expect(value('azure.prod.keyVault')).toBe('pippai-keyvault-prod');
      expect(value('azure.prod.storageAccount')).toBe('pippaistorageprod');
      expect(value('azure.prod.cosmosAccount')).toBe('pippai-cosmos-prod');
      expect(value('azure.prod.botName')).toBe('pippai-bot-prod');
      expect(value('azure.dev.keyVault')).toBe('pippai-keyvault-dev');
      expect(value('azure.dev.storageAccount')).toBe('pippaistoragedev');
      expect(value('azure.dev.cosmosAccount')).toBe('pippai-cosmos-dev');
      expect(value('azure.dev.botName')).toBe('pippai-bot-dev');
      expect(value('azure.dev.vm')).toBe('pippai-vm-dev');
      // a dev resource never lands on a prod path
      for (const v of d.values) if (v.path.startsWith('azure.prod.')) expect(String(v.value)).not.toMatch(/-dev$|dev$/);
      expect(byPath['azure.prod.keyVault']?.provenance.source).toBe(`ARM resources of resource group ${RG}: Microsoft.KeyVault/vaults pippai-keyvault-prod (tag production)`);
      expect(byPath['azure.dev.cosmosAccount']?.provenance.source).toBe(`ARM resources of resource group ${RG}: Microsoft.DocumentDB/databaseAccounts pippai-cosmos-dev (tag dev)`);
      // the listing went to the fake ARM, authorized, through the SDK (every page), logged; the token never shows
      const listed = arm.requests.filter((r) => /\/resourcegroups\/rg-orders\/resources\?/i.test(r.url));
      expect(listed.length).toBeGreaterThan(1); // page size 1: the SDK followed nextLink
      expect(listed.every((r) => r.authorized && r.method === 'GET')).toBe(true);
      expect(log).toMatch(/http GET https:\/\/127\.0\.0\.1:\d+\/subscriptions\/00000000-0000-0000-0000-000000000000\/resourceGroups\/rg-orders\/resources/);
      expect(log).not.toContain(ARM_TOKEN_CANARY);
      // the profile's dev names agree; no conflict for them
      expect(d.conflicts.map((c) => c.path)).not.toContain('azure.dev.keyVault');
    });
  });

  it('a 403 on the listing: no names from Azure, a note naming the Reader role — not an empty group', async () => {
    await withArm([{ match: /^arm GET \/subscriptions\/[^/]+\/resourcegroups\/rg-orders\/resources$/, status: 403 }], async (arm, az) => {
      const { d, byPath } = await discoverOn(arm, az);
      // IMDS still decides what it knows
      expect(byPath['azure.prod.vm']?.value).toBe('pippai-vm-prod');
      for (const k of ['keyVault', 'storageAccount', 'cosmosAccount', 'botName']) {
        expect(byPath[`azure.prod.${k}`]).toBeUndefined();
        expect(byPath[`azure.dev.${k}`]).toBeUndefined();
      }
      const note = d.notes.find((n) => n.includes('cannot read'));
      expect(note, d.notes.join('\n')).toBeDefined();
      expect(note).toMatch(/cannot read the resources of resource group rg-orders: the identity lacks permission \(HTTP 403 AuthorizationFailed: .*\); assign Reader on resource group rg-orders \(or the subscription\): no resource names discovered from Azure/);
    });
  });

  it('without credentials the group is not listed, and the note says why', async () => {
    const arm = await startFakeArm({ scenario: 'tagged' });
    try {
      const { d } = await discoverOn(arm, fakeAz({ subscriptionId: arm.subscriptionId, tenantId: arm.tenantId, loggedIn: false }));
      expect(d.notes.join('\n')).toMatch(/resource group rg-orders not listed: no Azure credentials/);
      expect(arm.requests.filter((r) => /\/resources\?/i.test(r.url))).toHaveLength(0);
    } finally {
      await arm.close();
    }
  });
});
