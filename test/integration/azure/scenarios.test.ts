/**
 * The Azure checks against the fake ARM / Key Vault server, driven by the real SDK clients:
 * every check gives the verdict its scenario implies, and cites the ARM requests that show it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, Status } from '../../../src/engine/types.js';
import { SECRET_CANARY, startFakeArm, type FakeArm } from '../../servers/fake-arm.js';
import { ARM_TOKEN_CANARY } from '../../servers/fake-az.js';
import { azureConfig, NAMES, runAzure, type AzureRun } from './harness.js';

type Expected = Record<string, Status>;

const AZURE_CHECKS = [
  'infra.prod-resources',
  'infra.key-vault',
  'infra.storage',
  'infra.cosmos',
  'infra.dns',
  'monitoring.alert-service-down',
  'monitoring.alert-error-rate',
  'monitoring.alert-disk-space',
  'monitoring.alert-ssl-expiry',
  'monitoring.external-health',
  'backup.cosmos-policy',
  'backup.blob-versioning',
  'bot.app-registration',
  'bot.resource',
  'bot.messaging-endpoint',
] as const;

const all = (s: Status): Expected => Object.fromEntries(AZURE_CHECKS.map((id) => [id, s]));

const SCENARIOS: Record<string, { expected: Expected; summaries: Record<string, RegExp> }> = {
  full: {
    expected: all('pass'),
    summaries: {
      'monitoring.alert-error-rate': /log alert rule 'http-5xx-rate'/,
      'monitoring.alert-disk-space': /log alert rule 'disk-free-space-low'/,
      'monitoring.alert-ssl-expiry': /web test 'orders-health'/,
      'monitoring.external-health': /web test 'orders-health'.*ag-orders-oncall/,
      'infra.key-vault': /every dev secret present/,
    },
  },
  partial: {
    expected: {
      ...all('fail'),
      'infra.prod-resources': 'pass',
      'infra.storage': 'warn',
      'infra.cosmos': 'warn',
      'bot.app-registration': 'warn',
    },
    summaries: {
      'infra.key-vault': /purge protection is off.*prod lacks 2 secret\(s\) dev has: zoho-refresh-token, bot-app-password/,
      'backup.blob-versioning': /off: versioning, container soft delete/,
      'backup.cosmos-policy': /kept only 8 hours/,
      'monitoring.alert-service-down': /no alert rule covers it/,
      'monitoring.alert-disk-space': /no alert rule covers it/,
      'infra.dns': /resolves to 51\.140\.1\.2, not the production VM \(20\.50\.60\.70\)/,
      'bot.messaging-endpoint': /the dev host/,
      'bot.resource': /no Microsoft Teams channel/,
      'bot.app-registration': /multi-tenant/,
    },
  },
  missing: {
    expected: all('fail'),
    summaries: {
      'infra.prod-resources': /not found: resource group, Key Vault, storage account, Cosmos DB account, VM, Azure Bot/,
      'infra.key-vault': /the production Key Vault does not exist/,
      'bot.resource': /the production Azure Bot does not exist/,
    },
  },
};

function byId(run: AzureRun): Map<string, CheckResult> {
  return new Map(run.results.map((r) => [r.id, r]));
}

describe.each(Object.entries(SCENARIOS))('scenario %s', (scenario, { expected, summaries }) => {
  let arm: FakeArm;
  let run: AzureRun;
  beforeAll(async () => {
    arm = await startFakeArm({ scenario });
    run = await runAzure(arm);
  });
  afterAll(async () => {
    await arm.close();
  });

  it.each(AZURE_CHECKS)('%s', (id) => {
    const r = byId(run).get(id);
    expect(r, id).toBeDefined();
    expect({ id, status: r?.status, summary: r?.summary }).toMatchObject({ id, status: expected[id] });
    const want = summaries[id];
    if (want) expect(r?.summary).toMatch(want);
  });

  it('cites the ARM requests of the commands log as evidence', () => {
    const entries = new Map(run.log.entries().map((e) => [e.seq, e]));
    for (const id of AZURE_CHECKS) {
      const r = byId(run).get(id);
      const refs = (r?.evidence ?? []).flatMap((e) => e.refs ?? []);
      expect(refs.length, `${id} cites the log`).toBeGreaterThan(0);
      for (const ref of refs) expect(entries.has(ref), `${id} ref ${ref}`).toBe(true);
      const http = refs.map((ref) => entries.get(ref)).filter((e) => e?.kind === 'http');
      expect(http.length, `${id} cites an HTTP request`).toBeGreaterThan(0);
      expect(http.some((e) => e?.action.startsWith(`GET ${arm.url}/`) || e?.action.includes('//127.0.0.1:')), id).toBe(true);
    }
  });

  it('never reads a secret value and never prints a token', () => {
    const vaultReads = arm.requests.filter((q) => q.origin.startsWith('vault:') && /^\/secrets\/[^/?]+(\/(?!versions)[^/?]+)?(\?|$)/.test(q.url));
    expect(vaultReads).toEqual([]);
    const text = `${run.logText}\n${JSON.stringify(run.results)}`;
    expect(text).not.toContain(SECRET_CANARY);
    expect(text).not.toContain(ARM_TOKEN_CANARY);
    expect(text).not.toContain('CanaryTokenSignature');
    // the managed-identity endpoint is never contacted in tests (credential: cli)
    expect(run.logText).not.toContain('169.254.169.254');
    // every ARM request carried a bearer token, and only reads were sent
    expect(arm.requests.filter((q) => q.origin === 'arm' && !q.url.startsWith('/dns-query')).every((q) => q.authorized && q.method === 'GET')).toBe(true);
  });
});

describe('pagination and the Key Vault data plane (full scenario)', () => {
  let arm: FakeArm;
  let run: AzureRun;
  beforeAll(async () => {
    arm = await startFakeArm({ scenario: 'full', secretsPageSize: 2, resourcesPageSize: 1 });
    run = await runAzure(arm, { only: ['infra.key-vault', 'infra.prod-resources'] });
  });
  afterAll(async () => {
    await arm.close();
  });

  it('follows nextLink through every page of the secrets list and of the resources listing', () => {
    const prodVault = arm.requests.filter((q) => q.origin === 'vault:pippai-keyvault-prod' && q.authorized);
    expect(prodVault.map((q) => q.url.replace(/api%2Dversion/, 'api-version'))).toEqual([
      expect.stringMatching(/^\/secrets\?api-version=/),
      expect.stringMatching(/\$skiptoken=2|%24skiptoken=2/),
      expect.stringMatching(/\$skiptoken=4|%24skiptoken=4/),
    ]);
    expect(arm.requests.some((q) => /\/resources\?.*skiptoken=1/.test(q.url))).toBe(true);
    const prod = run.outcomes.get('azure.key-vault');
    expect(prod?.ok).toBe(true);
  });

  it('answers the Key Vault challenge, then lists with a token for https://vault.azure.net', () => {
    const first = arm.requests.find((q) => q.origin === 'vault:pippai-keyvault-prod');
    expect(first?.authorized).toBe(false);
    expect(run.az.calls().some((c) => c.join(' ').includes('--resource https://vault.azure.net'))).toBe(true);
    // one token per audience for the whole run, not one per probe
    expect(run.az.calls().filter((c) => c.includes('get-access-token') && c.includes('https://management.azure.com'))).toHaveLength(1);
  });
});

describe('azure.prod.shareWithDev: prod uses the dev resource, looked up under the dev name', () => {
  let arm: FakeArm;
  let run: AzureRun;
  beforeAll(async () => {
    arm = await startFakeArm({ scenario: 'full' });
    run = await runAzure(arm, {
      config: azureConfig(arm, (c) => {
        c.azure.prod.shareWithDev = ['keyVault'];
        c.azure.prod.keyVault = 'TBD';
      }),
      only: ['infra.prod-resources', 'infra.key-vault'],
    });
  });
  afterAll(async () => {
    await arm.close();
  });

  it('infra.prod-resources: the shared vault exists, the sharing a declared risk (warn), not a TBD failure', () => {
    const r = byId(run).get('infra.prod-resources');
    expect({ status: r?.status, summary: r?.summary }).toMatchObject({ status: 'warn', summary: expect.stringMatching(/prod shares the dev Key Vault, as declared in azure\.prod\.shareWithDev/) });
    expect(r?.unverified).toEqual([]);
  });

  it('infra.key-vault judges the shared (dev) vault instead of reporting the prod name TBD', () => {
    const r = byId(run).get('infra.key-vault');
    expect(r?.summary).not.toMatch(/TBD/);
    expect(r?.evidence.map((e) => e.text).join('\n')).toContain(NAMES.dev.keyVault);
  });
});
