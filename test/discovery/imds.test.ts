/**
 * IMDS discovery against a fake Instance Metadata Service on 127.0.0.1 serving Microsoft's
 * documented response (test/fixtures/imds), through the real HTTP client and policy. Off Azure
 * (DMI says otherwise) nothing is sent: the fake counts zero requests and the log has no HTTP entry.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORDER_PROCESSING_PROFILE } from '../../src/config/profile.js';
import { decide } from '../../src/discovery/decide.js';
import type { ProbeContext } from '../../src/engine/types.js';
import { AZURE_ASSET_TAG, collectAzureInstance } from '../../src/probes/discovery/imds.js';
import { CommandLog } from '../../src/safety/command-log.js';
import { createHttpClient } from '../../src/safety/http.js';
import { Redactor } from '../../src/safety/redactor.js';
import { realContext } from '../helpers/real-context.js';

let server: Server;
let endpoint = '';
let body = '';
const requests: { url: string; headers: IncomingHttpHeaders }[] = [];
let dir = '';

beforeAll(async () => {
  body = await readFile(new URL('../fixtures/imds/instance-documented.json', import.meta.url), 'utf8');
  server = createServer((req, res) => {
    requests.push({ url: req.url ?? '', headers: req.headers });
    // IMDS refuses a request without `Metadata: true` (documented: "Security and authentication")
    if (req.headers['metadata'] !== 'true') {
      res.writeHead(400).end('{"error":"Bad request. Required metadata header not specified"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  if (a === null || typeof a === 'string') throw new Error('no port');
  endpoint = `http://127.0.0.1:${a.port}`;
  dir = await mkdtemp(join(tmpdir(), 'predeploy-imds-'));
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await rm(dir, { recursive: true, force: true });
});

function context(): { ctx: ProbeContext; log: CommandLog } {
  const redactor = new Redactor();
  const log = new CommandLog(redactor);
  const http = createHttpClient({ log, redactor, defaultTimeoutMs: 5000, offline: false, targetName: 'test' });
  const base = realContext({ options: { offline: false } });
  return { ctx: { ...base, http: (r) => http.request(r) }, log };
}

async function dmi(content: string): Promise<string> {
  const p = join(dir, `tag-${Math.random().toString(16).slice(2)}`);
  await writeFile(p, `${content}\n`);
  return p;
}

describe('Azure instance discovery', () => {
  it('on Azure (DMI asset tag): one GET with Metadata: true, subscription, group, VM, location and tags', async () => {
    requests.length = 0;
    const { ctx, log } = context();
    const r = await collectAzureInstance(ctx, { endpoint, dmiPath: await dmi(AZURE_ASSET_TAG) });
    expect(r.ok && r.value.status).toBe('found');
    if (!r.ok || r.value.status !== 'found') throw new Error('not found');
    expect(r.value.instance).toMatchObject({ subscriptionId: 'xxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxx', resourceGroupName: 'macikgo-test-may-23', name: 'examplevmname', location: 'westus', tags: { baz: 'bash', foo: 'bar' } });
    expect(requests).toHaveLength(1);
    expect(requests[0]?.url).toBe('/metadata/instance?api-version=2021-02-01');
    expect(requests[0]?.headers['metadata']).toBe('true');
    expect(log.entries().filter((e) => e.kind === 'http')).toHaveLength(1);
    // no env tag: the subscription is decided, dev/prod is not
    const d = decide({ root: '/r', azure: r }, ORDER_PROCESSING_PROFILE, 'p');
    expect(d.values.map((v) => v.path)).toEqual(['azure.subscriptionId']);
    expect(d.notes.join('\n')).toMatch(/no env\/environment tag/);
  });

  it('an environment tag (tagsList) assigns the VM and its resource group to prod', async () => {
    const doc = JSON.parse(await readFile(new URL('../fixtures/imds/instance-documented.json', import.meta.url), 'utf8')) as { compute: Record<string, unknown> };
    doc.compute['tags'] = 'environment:prod;owner:ops';
    doc.compute['tagsList'] = [{ name: 'environment', value: 'prod' }, { name: 'owner', value: 'ops' }];
    body = JSON.stringify(doc);
    try {
      const { ctx } = context();
      const r = await collectAzureInstance(ctx, { endpoint, dmiPath: await dmi(AZURE_ASSET_TAG) });
      const d = decide({ root: '/r', azure: r }, ORDER_PROCESSING_PROFILE, 'p');
      expect(Object.fromEntries(d.values.map((v) => [v.path, v.value]))).toEqual({
        'azure.subscriptionId': 'xxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxx',
        'azure.prod.resourceGroup': 'macikgo-test-may-23',
        'azure.prod.vm': 'examplevmname',
      });
      expect(d.values[0]?.provenance.source).toMatch(/^Azure IMDS compute\.subscriptionId \(DMI chassis asset tag/);
      // resources of the group, by type and tag (as the ARM listing hands them over)
      if (!r.ok || r.value.status !== 'found') throw new Error('not found');
      const group = {
        status: 'found' as const,
        resourceGroup: 'macikgo-test-may-23',
        subscriptionId: 'x',
        resources: [
          { name: 'kv-prod', type: 'Microsoft.KeyVault/vaults', id: '/x/kv-prod', envTag: 'production' },
          { name: 'kv-dev', type: 'Microsoft.KeyVault/vaults', id: '/x/kv-dev', envTag: 'dev' },
          { name: 'stprod', type: 'Microsoft.Storage/storageAccounts', id: '/x/stprod' },
          { name: 'nic1', type: 'Microsoft.Network/networkInterfaces', id: '/x/nic1' },
        ],
      };
      const g = decide({ root: '/r', azure: r, group }, ORDER_PROCESSING_PROFILE, 'p');
      const byPath = Object.fromEntries(g.values.map((v) => [v.path, v.value]));
      expect(byPath).toMatchObject({ 'azure.prod.keyVault': 'kv-prod', 'azure.dev.keyVault': 'kv-dev', 'azure.prod.storageAccount': 'stprod' });
      // the profile's dev vault differs: reported, the configuration wins
      expect(g.conflicts.map((c) => c.path)).toEqual(['azure.dev.keyVault']);
    } finally {
      body = await readFile(new URL('../fixtures/imds/instance-documented.json', import.meta.url), 'utf8');
    }
  });

  it.each([
    ['another asset tag', 'Default string'],
    ['an empty asset tag', ''],
  ])('off Azure (%s) nothing is sent to IMDS', async (_label, tag) => {
    requests.length = 0;
    const { ctx, log } = context();
    let calls = 0;
    const spy: ProbeContext = { ...ctx, http: (req) => ((calls += 1), ctx.http(req)) };
    const r = await collectAzureInstance(spy, { endpoint, dmiPath: await dmi(tag) });
    expect(r.ok && r.value.status).toBe('not-azure');
    expect(calls).toBe(0);
    expect(requests).toHaveLength(0);
    expect(log.entries().filter((e) => e.kind === 'http' || e.kind === 'refused')).toHaveLength(0);
  });

  it('no DMI file at all is "not Azure", and the default endpoint is never asked', async () => {
    const { ctx } = context();
    let calls = 0;
    const spy: ProbeContext = { ...ctx, http: (req) => ((calls += 1), ctx.http(req)) };
    const r = await collectAzureInstance(spy, { dmiPath: join(dir, 'missing') });
    expect(r.ok && r.value.status).toBe('not-azure');
    expect(calls).toBe(0);
  });

  it('--azure-imds asks even without the DMI tag', async () => {
    requests.length = 0;
    const { ctx } = context();
    const r = await collectAzureInstance(ctx, { endpoint, force: true, dmiPath: await dmi('Default string') });
    expect(r.ok && r.value.status).toBe('found');
    expect(requests).toHaveLength(1);
  });

  it('an endpoint that is neither IMDS nor loopback is refused before anything is sent', async () => {
    const { ctx } = context();
    const r = await collectAzureInstance(ctx, { endpoint: 'http://203.0.113.5', force: true });
    expect(r.ok).toBe(false);
  });

  it('proxy settings in the environment are not used: IMDS is asked directly', async () => {
    const saved = { HTTP_PROXY: process.env['HTTP_PROXY'], http_proxy: process.env['http_proxy'], NODE_USE_ENV_PROXY: process.env['NODE_USE_ENV_PROXY'] };
    // a proxy that does not exist: going through it would fail
    process.env['HTTP_PROXY'] = 'http://127.0.0.1:9';
    process.env['http_proxy'] = 'http://127.0.0.1:9';
    process.env['NODE_USE_ENV_PROXY'] = '1';
    try {
      requests.length = 0;
      const { ctx } = context();
      const r = await collectAzureInstance(ctx, { endpoint, force: true });
      expect(r.ok && r.value.status).toBe('found');
      expect(requests).toHaveLength(1);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) Reflect.deleteProperty(process.env, k);
        else process.env[k] = v;
      }
    }
  });

  it('the endpoint override is for tests only: no source file outside the probe sets it (not predeploy.yaml, not the environment, not an option)', async () => {
    const src = new URL('../../src/', import.meta.url).pathname;
    const files = (await readdir(src, { recursive: true })).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== join('probes', 'discovery', 'imds.ts'));
    const offenders: string[] = [];
    for (const f of files) {
      const text = await readFile(join(src, f), 'utf8');
      // an `imds: { … }` options object that carries an endpoint or a DMI path
      for (const m of text.matchAll(/imds\s*:\s*\{([^}]*)\}/g)) if (/endpoint|dmiPath/.test(m[1] ?? '')) offenders.push(f);
      if (/IMDS_ENDPOINT|imdsEndpoint/i.test(text) && !f.startsWith(join('probes', 'discovery'))) offenders.push(f);
    }
    expect(offenders).toEqual([]);
    // and the configuration has no key for it: an unknown key is refused
    const { parseConfigText } = await import('../../src/config/loader.js');
    expect(() => parseConfigText('azure:\n  imdsEndpoint: http://127.0.0.1:1\n', 'predeploy.yaml')).toThrow(/imdsEndpoint/);
  });
});
