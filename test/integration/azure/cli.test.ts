/**
 * End to end through the in-process CLI (`predeploy assess`): a predeploy.yaml pointing
 * `azure.armEndpoint` at the fake server and a fake `az` first on PATH; and the same run with
 * no credentials at all.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { cli } from '../../helpers/cli.js';
import { SECRET_CANARY, startFakeArm, type FakeArm } from '../../servers/fake-arm.js';
import { ARM_TOKEN_CANARY, fakeAz } from '../../servers/fake-az.js';
import { PathTarget } from '../../servers/path-target.js';
import { NAMES, PROD_DOMAIN } from './harness.js';

const AZURE_CHECKS = 'infra.prod-resources,infra.key-vault,infra.storage,infra.cosmos,infra.dns,monitoring.alert-service-down,monitoring.alert-error-rate,monitoring.alert-disk-space,monitoring.alert-ssl-expiry,monitoring.external-health,backup.cosmos-policy,backup.blob-versioning,bot.app-registration,bot.resource,bot.messaging-endpoint';

interface ReportJson {
  results: { id: string; status: string; summary: string; evidence: { text: string; refs?: number[] }[] }[];
  meta?: { durationMs?: number };
}

function project(azure: Record<string, unknown>): string {
  const root = mkdtempSync(join(tmpdir(), 'predeploy-azure-cli-'));
  mkdirSync(join(root, 'out'));
  const config = {
    domain: { prod: PROD_DOMAIN },
    // never the system resolver in tests: a lookup of the prod domain would leave loopback
    azure: { dnsResolver: 'https://127.0.0.1:9/dns-query', ...azure },
    bot: {
      registration: 'separate',
      dev: { appId: '22222222-2222-2222-2222-222222222222', tenantId: '00000000-0000-0000-0000-0000000000aa' },
      prod: { appId: '11111111-1111-1111-1111-111111111111', tenantId: '00000000-0000-0000-0000-0000000000aa' },
    },
  };
  writeFileSync(join(root, 'predeploy.yaml'), stringify(config));
  return root;
}

function read(root: string, runId: string): { report: ReportJson; log: string; md: string } {
  const dir = join(root, '_codex_predeploy', runId);
  return {
    report: JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as ReportJson,
    log: readFileSync(join(dir, '13_PRODUCTION_DEPLOY_COMMANDS.log'), 'utf8'),
    md: readFileSync(join(dir, '13_PRODUCTION_DEPLOY_REPORT.md'), 'utf8'),
  };
}

describe('predeploy assess against the fake ARM server', () => {
  let arm: FakeArm;
  beforeAll(async () => {
    arm = await startFakeArm({ scenario: 'full' });
  });
  afterAll(async () => {
    await arm.close();
  });

  it('writes the ARM requests to the commands log and cites them as evidence', async () => {
    const root = project({
      subscriptionId: arm.subscriptionId,
      armEndpoint: arm.url,
      credential: 'cli',
      caFile: arm.caFile,
      dnsResolver: arm.dohUrl,
      dev: NAMES.dev,
      prod: NAMES.prod,
    });
    const az = fakeAz({ subscriptionId: arm.subscriptionId, tenantId: arm.tenantId });
    const r = await cli(['assess', '--root', root, '--run-id', 'e2e', '--only', AZURE_CHECKS], { target: new PathTarget(`${az.dir}:/usr/bin:/bin`) });
    expect(r.code, r.stderr).toBe(0);
    const { report, log, md } = read(root, 'e2e');
    // the dev-vs-prod table holds what Azure says exists in prod, not only the config decisions
    const gapTable = md.slice(md.indexOf('## Dev vs prod gaps'), md.indexOf('## ', md.indexOf('## Dev vs prod gaps') + 5));
    expect(gapTable).toMatch(/\| Key Vault purge protection \| off \| on \| none \| — \|/);
    expect(gapTable).toMatch(/\| blob versioning \|/);
    expect(gapTable).not.toMatch(/\| Key Vault \| pippai-keyvault-dev \| TBD \|/);
    const statuses = Object.fromEntries(report.results.map((x) => [x.id, x.status]));
    expect(Object.values(statuses)).toEqual(Array(15).fill('pass'));
    // the ARM GETs are in the log, with their status
    expect(log).toMatch(new RegExp(`GET ${arm.url.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}/subscriptions/${arm.subscriptionId}/resourceGroups/rg-orders-prod/providers/Microsoft\\.KeyVault/vaults/pippai-keyvault-prod\\?api-version=`));
    expect(log).toContain('az account get-access-token --output json --resource https://management.azure.com');
    // each check cites log entries that exist
    const seqs = new Set([...log.matchAll(/^#?\s*(\d+)\b/gm)].map((m) => Number(m[1])));
    for (const res of report.results) {
      const refs = res.evidence.flatMap((e) => e.refs ?? []);
      expect(refs.length, res.id).toBeGreaterThan(0);
      for (const ref of refs) expect(seqs.has(ref), `${res.id} cites #${ref}`).toBe(true);
    }
    const everything = `${log}\n${JSON.stringify(report)}\n${r.stdout}\n${r.stderr}`;
    expect(everything).not.toContain(ARM_TOKEN_CANARY);
    expect(everything).not.toContain(SECRET_CANARY);
  });
});

describe('no Azure credentials at all', () => {
  it('every Azure check is unknown with one reason and the fix, and the run stays fast', async () => {
    const emptyBin = mkdtempSync(join(tmpdir(), 'predeploy-no-az-'));
    const root = project({ subscriptionId: '00000000-0000-0000-0000-000000000000', credential: 'cli', dev: NAMES.dev, prod: NAMES.prod });
    const t0 = performance.now();
    const r = await cli(['assess', '--root', root, '--run-id', 'nocreds', '--only', AZURE_CHECKS], { target: new PathTarget(emptyBin) });
    const ms = performance.now() - t0;
    expect(r.code, r.stderr).toBe(0);
    const { report, log } = read(root, 'nocreds');
    expect(report.results).toHaveLength(15);
    const reasons = new Set<string>();
    for (const res of report.results) {
      expect(res.status, res.id).toBe('unknown');
      expect(res.summary, res.id).toMatch(/no credentials: no Azure credentials \(Azure CLI: az is not installed\); fix: run `az login` then `az account set --subscription <subscription-id>`/);
      reasons.add(res.summary.replace(/probe azure\.[a-z-]+ /, 'probe azure.X '));
    }
    expect(reasons.size).toBe(1);
    // the tool never ran az login or az account set; it looked for az once
    expect(log).not.toMatch(/az login|az account set/);
    expect([...log.matchAll(/az account get-access-token/g)]).toHaveLength(1);
    // fast because nothing waits: no request was sent and nothing timed out (the time is printed)
    expect(log).not.toMatch(/ → timeout/);
    expect(log).not.toMatch(/^#\d+ \S+ \S+ http /m);
    console.log(`no credentials: the Azure checks took ${ms.toFixed(0)} ms`);
  });

  it('a CLI that is not logged in gives the same one reason', async () => {
    const az = fakeAz({ subscriptionId: 'x', tenantId: 'y', loggedIn: false });
    const root = project({ subscriptionId: '00000000-0000-0000-0000-000000000000', credential: 'cli', dev: NAMES.dev, prod: NAMES.prod });
    const r = await cli(['assess', '--root', root, '--run-id', 'nologin', '--only', 'infra,bot.resource'], { target: new PathTarget(`${az.dir}:/usr/bin:/bin`) });
    expect(r.code, r.stderr).toBe(0);
    const { report } = read(root, 'nologin');
    const azure = report.results.filter((x) => ['infra.key-vault', 'infra.storage', 'bot.resource'].includes(x.id));
    for (const res of azure) expect(res.summary).toMatch(/Azure CLI: not logged in\); fix: run `az login`/);
  });

  it('--offline: every Azure probe is disabled without running anything', async () => {
    const root = project({ subscriptionId: '00000000-0000-0000-0000-000000000000', credential: 'cli', dev: NAMES.dev, prod: NAMES.prod });
    const r = await cli(['assess', '--offline', '--root', root, '--run-id', 'offline', '--only', AZURE_CHECKS], { target: new PathTarget('/nonexistent') });
    expect(r.code, r.stderr).toBe(0);
    const { report, log } = read(root, 'offline');
    for (const res of report.results) expect(res.summary, res.id).toMatch(/disabled: network probes are off \(--offline\)/);
    expect(log).not.toMatch(/az account/);
  });
});
