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
