/**
 * Discovery on real inputs: the real `nginx -T -c` on fixture configs (several server blocks, an
 * include, a default server, a redirect-only port-80 block), a systemd unit listing in systemd's
 * format, processes without systemd, and the pure choice of values with their sources.
 */
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORDER_PROCESSING_PROFILE } from '../../src/config/profile.js';
import { applyDiscovery } from '../../src/discovery/index.js';
import { decide, localUpstream, proxyingTlsServers } from '../../src/discovery/decide.js';
import type { ProbeResult } from '../../src/engine/types.js';
import type { NginxConfig } from '../../src/facts/web.js';
import { collectNginx } from '../../src/probes/host/nginx/probe.js';
import { parseSystemdUnits } from '../../src/probes/discovery/systemd-parse.js';
import { checkCommand } from '../../src/safety/command-policy.js';
import { SYSTEMD_UNITS_ARGV } from '../../src/probes/discovery/systemd.js';
import { parseDotenv } from '../../src/config/dotenv.js';
import { envNameHints } from '../../src/probes/discovery/dotenv-names.js';
import { configView, renderConfigView } from '../../src/cli/config-view.js';
import { TestCa } from '../fixtures/nginx/pki.js';
import { requireTool } from '../helpers/real-context.js';
import { policedContext } from '../probes/policed-context.js';

const ROOT = '/data/order-processing';
let dir = '';
let nginx: ProbeResult<NginxConfig>;

beforeAll(async () => {
  await requireTool('nginx', 'nginx');
  await requireTool('openssl', 'openssl');
  dir = await mkdtemp(join(tmpdir(), 'predeploy-discovery-'));
  const ca = await TestCa.create(dir);
  const leaf = await ca.leaf('leaf', ['orders.example.com'], -1, 60);
  const fill = (t: string) => t.replaceAll('{{DIR}}', dir).replaceAll('{{CERT}}', leaf.cert).replaceAll('{{KEY}}', leaf.key);
  await mkdir(join(dir, 'sites'), { recursive: true });
  for (const f of ['nginx.conf', 'sites/orders.conf', 'sites/dev.conf']) {
    await writeFile(join(dir, f), fill(await readFile(new URL(`../fixtures/nginx/discovery/${f}`, import.meta.url), 'utf8')));
  }
  nginx = await collectNginx(policedContext(), join(dir, 'nginx.conf'));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('domain from nginx', () => {
  it('reads the real nginx -T of the fixture', () => {
    expect(nginx.ok, nginx.ok ? '' : nginx.detail).toBe(true);
  });

  it('takes the one TLS server name that proxies to a local port; not the default, redirect-only, static or dev servers', () => {
    if (!nginx.ok) throw new Error(nginx.detail);
    const names = proxyingTlsServers(nginx.value).flatMap((p) => p.server.serverNames);
    expect(names.sort()).toEqual(['orders.example.com', 'processing.pippaoflondon.co.uk', 'www.orders.example.com']);
    const d = decide({ root: ROOT, nginx }, ORDER_PROCESSING_PROFILE, 'the built-in profile');
    const domain = d.values.find((v) => v.path === 'domain.prod');
    expect(domain?.value).toBe('orders.example.com');
    // the source names the included file and the server_name line
    expect(domain?.provenance.source).toBe(`nginx server_name at ${join(dir, 'sites/orders.conf')}:4`);
    expect(d.notes.join('\n')).toMatch(/dev domain processing\.pippaoflondon\.co\.uk/);
  });

  it('certbot corroborates, and stands in when nginx has no candidate', () => {
    const certbot = { ok: true as const, value: { lineages: [{ name: 'orders.example.com', domains: ['orders.example.com'], expiry: '', validity: '', valid: true, certificatePath: '', privateKeyPath: '', lines: [] }], invalidConfigs: [] } };
    const both = decide({ root: ROOT, nginx, certbot }, ORDER_PROCESSING_PROFILE, 'p').values.find((v) => v.path === 'domain.prod');
    expect(both?.provenance.source).toMatch(/; certbot lineage orders\.example\.com$/);
    const alone = decide({ root: ROOT, nginx: { ok: false, reason: 'not-installed', detail: 'nginx not installed' }, certbot }, ORDER_PROCESSING_PROFILE, 'p');
    expect(alone.values.find((v) => v.path === 'domain.prod')?.provenance.source).toBe('certbot lineage orders.example.com');
  });

  it('two candidate names leave domain.prod undecided, with a note', () => {
    if (!nginx.ok) throw new Error(nginx.detail);
    const profile = structuredClone(ORDER_PROCESSING_PROFILE);
    profile.domain.dev = 'dev.example.com'; // the dev server now counts as a second candidate
    const d = decide({ root: ROOT, nginx }, profile, 'p');
    expect(d.values.find((v) => v.path === 'domain.prod')).toBeUndefined();
    expect(d.notes.join('\n')).toMatch(/several TLS server names/);
  });

  it.each([
    ['http://127.0.0.1:3000', 3000],
    ['http://localhost:8080/api/', 8080],
    ['http://[::1]:9000', 9000],
    ['http://workflow_api', undefined],
  ])('%s is a local upstream (port %s)', (u, port) => {
    expect(localUpstream(u)).toEqual(port === undefined ? {} : { port });
  });
  it('a remote upstream is not local', () => {
    expect(localUpstream('https://api.example.com')).toBeUndefined();
  });
});

describe('services', () => {
  const listing = () => readFile(new URL('../fixtures/systemd/show-services-discovery.txt', import.meta.url), 'utf8');

  it('the listing command passes the command policy', () => {
    expect(checkCommand(SYSTEMD_UNITS_ARGV, { refreshApt: false })).toEqual({ allowed: true });
  });

  it('units under the root (WorkingDirectory, ExecStart, EnvironmentFile) or listening on a proxied port', async () => {
    const units = parseSystemdUnits(await listing());
    expect(units.ok).toBe(true);
    const listening = { ok: true as const, value: [{ proto: 'tcp' as const, address: '127.0.0.1', port: 3001, pid: 1300, raw: '' }] };
    const d = decide({ root: ROOT, nginx, units, listening }, ORDER_PROCESSING_PROFILE, 'p');
    const services = d.values.find((v) => v.path === 'services');
    expect(services?.value).toEqual(['metrics-sidecar', 'teams-bot', 'workflow-api', 'workflow-worker']);
    expect(services?.provenance.source).toContain('workflow-api: systemd unit /etc/systemd/system/workflow-api.service: WorkingDirectory /data/order-processing/workflow-api');
    expect(services?.provenance.source).toContain('metrics-sidecar: systemd unit /etc/systemd/system/metrics-sidecar.service: listens on port 3001');
    // the profile pins services: discovery reports the difference, the configuration wins
    expect(d.conflicts.map((c) => c.path)).toEqual(['services']);
    expect(applyDiscovery(ORDER_PROCESSING_PROFILE, d).config.services).toEqual(ORDER_PROCESSING_PROFILE.services);
  });

  it('without systemd, processes under the root name the services', () => {
    const processes = {
      ok: true as const,
      value: [
        { pid: 10, user: 'app', etime: '1:00', args: 'node /data/order-processing/workflow-api/dist/server.js' },
        { pid: 11, user: 'app', etime: '1:00', args: '/usr/bin/python3 /opt/other/thing.py' },
      ],
    };
    const units = { ok: false as const, reason: 'failed' as const, detail: 'no systemd: System has not been booted with systemd' };
    const d = decide({ root: ROOT, units, processes }, ORDER_PROCESSING_PROFILE, 'p');
    expect(d.values.find((v) => v.path === 'services')?.value).toEqual(['workflow-api']);
    expect(d.notes.join('\n')).toMatch(/services discovered from processes/);
  });

  it('a listing without Id= lines is a failure, not "no units"', () => {
    expect(parseSystemdUnits('garbage\n').ok).toBe(false);
  });
});

describe('applying discovery', () => {
  it('fills TBD paths only; a decided value is never replaced', () => {
    const d = {
      values: [
        { path: 'domain.prod', value: 'orders.example.com', provenance: { kind: 'discovered' as const, source: 's1' } },
        { path: 'azure.dev.keyVault', value: 'other-vault', provenance: { kind: 'discovered' as const, source: 's2' } },
        { path: 'azure.subscriptionId', value: '00000000-1111-2222-3333-444444444444', provenance: { kind: 'discovered' as const, source: 's3' } },
      ],
      conflicts: [],
      notes: [],
    };
    const { config, applied } = applyDiscovery(ORDER_PROCESSING_PROFILE, d);
    expect(config.domain.prod).toBe('orders.example.com');
    expect(config.azure.dev.keyVault).toBe('pippai-keyvault-dev');
    expect(config.azure.subscriptionId).toBe('00000000-1111-2222-3333-444444444444');
    expect(applied.map((a) => a.path)).toEqual(['domain.prod', 'azure.subscriptionId']);
    expect(ORDER_PROCESSING_PROFILE.domain.prod).toBe('TBD');
  });
});

describe('predeploy config shows each discovered value with its source', () => {
  const render = (d: ReturnType<typeof decide>) => {
    const { config, applied } = applyDiscovery(ORDER_PROCESSING_PROFILE, d);
    const provenance = new Map(applied.map((v) => [v.path, v.provenance] as const));
    return renderConfigView(configView({ config, provenance, source: null, root: { path: ROOT, from: 'option' }, env: {}, discovery: d }));
  };
  const row = (text: string, key: string) => text.split('\n').find((l) => l.startsWith(`${key} `)) ?? '';

  it('nginx server_name (file:line), systemd units, IMDS, the ARM listing and .env names', async () => {
    const units = parseSystemdUnits(await readFile(new URL('../fixtures/systemd/show-services-discovery.txt', import.meta.url), 'utf8'));
    const azure = {
      ok: true as const,
      value: {
        status: 'found' as const,
        why: 'DMI chassis asset tag',
        instance: { subscriptionId: '00000000-0000-0000-0000-000000000000', resourceGroupName: 'rg-orders', name: 'pippai-vm-prod', location: 'uksouth', tags: { environment: 'prod' }, url: 'http://169.254.169.254/metadata/instance' },
      },
    };
    const group = {
      status: 'found' as const,
      resourceGroup: 'rg-orders',
      subscriptionId: '00000000-0000-0000-0000-000000000000',
      resources: [{ name: 'pippai-cosmos-prod', type: 'Microsoft.DocumentDB/databaseAccounts', id: '/x/c', envTag: 'prod' }],
    };
    const env = parseDotenv('ZOHO_ORGANIZATION_ID=20099887766\nMICROSOFT_APP_ID=5f2d4a1c-8b3e-4c6d-9a7f-1e2b3c4d5e6f\n');
    const envNames = { ok: true as const, value: envNameHints(env.entries, '.env.production') };
    const listening = { ok: true as const, value: [{ proto: 'tcp' as const, address: '127.0.0.1', port: 3001, pid: 1300, raw: '' }] };
    const d = decide({ root: ROOT, nginx, units, listening, azure, group, envNames }, ORDER_PROCESSING_PROFILE, 'the built-in profile');
    const text = render(d);
    expect(row(text, 'domain.prod')).toMatch(new RegExp(`orders\\.example\\.com +discovered: nginx server_name at ${join(dir, 'sites/orders.conf').replaceAll('.', '\\.')}:4$`));
    expect(row(text, 'azure.subscriptionId')).toMatch(/discovered: Azure IMDS compute\.subscriptionId \(DMI chassis asset tag\)$/);
    expect(row(text, 'azure.prod.resourceGroup')).toMatch(/rg-orders +discovered: Azure IMDS compute\.resourceGroupName/);
    expect(row(text, 'azure.prod.vm')).toMatch(/pippai-vm-prod +discovered: Azure IMDS compute\.name .*tag prod$/);
    expect(row(text, 'azure.prod.cosmosAccount')).toMatch(/pippai-cosmos-prod +discovered: ARM resources of resource group rg-orders: Microsoft\.DocumentDB\/databaseAccounts pippai-cosmos-prod \(tag prod\)$/);
    expect(row(text, 'zoho.prod.orgId')).toMatch(/20099887766 +discovered: Zoho organization id in ZOHO_ORGANIZATION_ID at \.env\.production:1$/);
    expect(row(text, 'bot.prod.appId')).toMatch(/discovered: bot app id in MICROSOFT_APP_ID at \.env\.production:2$/);
    // the profile pins services: a fourth unit (on a port nginx proxies to) is a conflict, shown on the entry; the profile wins
    expect(row(text, 'services')).toMatch(/\[workflow-api, workflow-worker, teams-bot\] +built-in profile — discovery shows metrics-sidecar, teams-bot, workflow-api, workflow-worker .*workflow-api: systemd unit \/etc\/systemd\/system\/workflow-api\.service: WorkingDirectory \/data\/order-processing\/workflow-api.*; the configuration wins$/);
    expect(text).toContain('Discovery disagrees with the configuration (the configuration wins):');
  });

  it('certbot lineage, and services from processes without systemd', () => {
    const certbot = { ok: true as const, value: { lineages: [{ name: 'orders.example.com', domains: ['orders.example.com'], expiry: '', validity: '', valid: true, certificatePath: '', privateKeyPath: '', lines: [] }], invalidConfigs: [] } };
    const processes = { ok: true as const, value: [{ pid: 10, user: 'app', etime: '1:00', args: 'node /data/order-processing/workflow-api/dist/server.js' }] };
    const units = { ok: false as const, reason: 'failed' as const, detail: 'no systemd: System has not been booted with systemd' };
    const profile = structuredClone(ORDER_PROCESSING_PROFILE);
    const d = decide({ root: ROOT, nginx: { ok: false, reason: 'not-installed', detail: 'nginx not installed' }, certbot, units, processes }, profile, 'the built-in profile');
    const text = render(d);
    expect(row(text, 'domain.prod')).toMatch(/orders\.example\.com +discovered: certbot lineage orders\.example\.com$/);
    expect(row(text, 'services')).toMatch(/discovery shows workflow-api \(workflow-api: process 10 \(ps\): command under \/data\/order-processing\/workflow-api\)/);
  });
});
