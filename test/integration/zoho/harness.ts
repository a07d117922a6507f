/**
 * Runs the secrets, Zoho and bot checks through the real engine (runAssessment), the real
 * HTTP client, HTTP policy, redactor and commands log, against loopback fakes. The Azure
 * inputs (`azure.session`, `azure.key-vault`) are stand-in probes: the Azure probes are
 * another part's and are tested there.
 *
 * `env` is the shell environment of the run, passed to runAssessment as the CLI passes it.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { vaultInfo } from '../../fixtures/zoho/facts.js';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { check as botCredentials } from '../../../src/checks/secrets/bot-credentials/check.js';
import { check as inKeyVault } from '../../../src/checks/secrets/in-key-vault/check.js';
import { check as rotationPolicy } from '../../../src/checks/secrets/rotation-policy/check.js';
import { check as zohoProdTokens } from '../../../src/checks/secrets/zoho-prod-tokens/check.js';
import { check as prodOauth } from '../../../src/checks/zoho/prod-oauth/check.js';
import { check as prodOrgId } from '../../../src/checks/zoho/prod-org-id/check.js';
import { check as rateLimits } from '../../../src/checks/zoho/rate-limits/check.js';
import { check as webhooks } from '../../../src/checks/zoho/webhooks/check.js';
import { ORDER_PROCESSING_PROFILE } from '../../../src/config/profile.js';
import { configSchema, type Config } from '../../../src/config/schema.js';
import type { RunOptions } from '../../../src/engine/run.js';
import { expectSameVerdicts, roundTrip } from '../../helpers/round-trip.js';
import type { CheckResult, Probe, RawExecResult, TargetExecOptions } from '../../../src/engine/types.js';
import type { AzureBotFact, AzureKeyVaultFact, FactId, KeyVaultSecretMeta } from '../../../src/facts/index.js';
import { botCredentialsProbe } from '../../../src/probes/bot/credentials/probe.js';
import { credentialsProbe } from '../../../src/probes/project/credentials/probe.js';
import { envProbe } from '../../../src/probes/project/env/probe.js';
import { policiesProbe } from '../../../src/probes/project/policies/probe.js';
import { worldReadableProbe } from '../../../src/probes/project/world-readable/probe.js';
import { zohoProdProbe } from '../../../src/probes/zoho/prod/probe.js';
import { formatLogEntry } from '../../../src/safety/command-log.js';
import { Redactor } from '../../../src/safety/redactor.js';
import { CannedTarget } from '../../helpers/canned-target.js';

/** The checks of sections 3 and 6. */
export const CHECKS = [zohoProdTokens, botCredentials, inKeyVault, rotationPolicy, prodOrgId, prodOauth, rateLimits, webhooks];

/** A temp project root with these files (path → content, or content and mode). */
export function projectRoot(files: Record<string, string | { content: string; mode: number }>): string {
  const root = mkdtempSync(join(tmpdir(), 'predeploy-zoho-'));
  for (const [rel, f] of Object.entries(files)) {
    const path = join(root, rel);
    mkdirSync(dirname(path), { recursive: true });
    const { content, mode } = typeof f === 'string' ? { content: f, mode: 0o600 } : f;
    writeFileSync(path, content, { mode });
  }
  return root;
}

/**
 * A target that reads real files and answers `az account get-access-token` for a resource
 * (the Azure CLI credential) with a token JSON; every other command is "not installed".
 */
export class ScriptedTarget extends CannedTarget {
  constructor(private readonly azTokens: Record<string, string> = {}) {
    super({});
  }

  override async exec(argv: readonly string[], o: TargetExecOptions): Promise<RawExecResult> {
    const i = argv.indexOf('--resource');
    const resource = i >= 0 ? argv[i + 1] : argv.includes('ms-graph') ? 'https://graph.microsoft.com' : undefined;
    const token = resource !== undefined && argv.includes('get-access-token') ? this.azTokens[resource] : undefined;
    if (token !== undefined) {
      this.calls.push([...argv]);
      const stdout = JSON.stringify({ accessToken: token, expires_on: Math.floor(Date.now() / 1000) + 3600, tokenType: 'Bearer', tenant: 'tenant' });
      return { exitCode: 0, signal: null, stdout, stderr: '', timedOut: false, truncated: false, durationMs: 1 };
    }
    return super.exec(argv, o);
  }
}

/** A probe standing in for `azure.session`: an Azure CLI login. */
export const azureSessionCli: Probe<'azure.session'> = {
  id: 'azure.session',
  describe: 'stand-in: Azure CLI login',
  network: true,
  collect: async () => ({
    ok: true,
    value: { credential: 'cli', subscriptionId: '00000000-0000-0000-0000-000000000001', subscriptionSource: 'config', armEndpoint: 'https://management.azure.com', armScope: 'https://management.azure.com/.default' },
  }),
};

/** A probe standing in for `azure.key-vault`: the prod vault holds these secrets. */
export function keyVaultWith(secrets: KeyVaultSecretMeta[], vault = 'pippai-keyvault-prod'): Probe<'azure.key-vault'> {
  const info = (name: string, s: KeyVaultSecretMeta[]) => vaultInfo(name, s, { vault: [], secrets: [] });
  const value: AzureKeyVaultFact = { dev: info('pippai-keyvault-dev', []), prod: info(vault, secrets) };
  return { id: 'azure.key-vault', describe: 'stand-in: Key Vault inventory', network: true, collect: async () => ({ ok: true, value }) };
}

/** A probe standing in for `azure.bot`: the prod (and dev) Azure Bot resource with this app type. */
export function botResourceWith(msaAppType = 'SingleTenant'): Probe<'azure.bot'> {
  const found = { status: 'found' as const, refs: [], value: { id: 'x', name: 'bot', resourceGroup: 'rg', msaAppType, enabledChannels: [], teams: { status: 'found' as const, value: { enabled: true }, refs: [] } } };
  const value: AzureBotFact = { dev: found, prod: found };
  return { id: 'azure.bot', describe: 'stand-in: Azure Bot resource', network: true, collect: async () => ({ ok: true, value }) };
}

type AnyProbe = { [K in FactId]?: Probe<K> };

export interface Scenario {
  config: Config;
  root: string;
  /** the shell environment of the run (process env) */
  env?: Record<string, string>;
  azTokens?: Record<string, string>;
  /** stand-ins for Azure probes */
  azure?: AnyProbe;
  now?: Date;
}

export interface ScenarioRun {
  results: Map<string, CheckResult>;
  /** every line of the commands log as it would be written */
  log: string;
  /** the raw facts (not redacted: they must hold no value at all) */
  facts: string;
  /** every output text, redacted as the CLI would write it */
  outputs: Record<string, string>;
}

export async function runScenario(s: Scenario): Promise<ScenarioRun> {
  const env = s.env ?? {};
  const probes: AnyProbe = {
    'project.env': envProbe,
    'project.credentials': credentialsProbe,
    'project.world-readable': worldReadableProbe,
    'project.policies': policiesProbe,
    'zoho.prod': zohoProdProbe,
    'bot.credentials': botCredentialsProbe,
    ...s.azure,
  };
  const redactor = new Redactor();
  const options: RunOptions = {
    config: configSchema.parse(s.config),
    configSource: null,
    root: s.root,
    target: new ScriptedTarget(s.azTokens),
    checks: CHECKS,
    probes: probes as RunOptions['probes'],
    only: [],
    skip: [],
    offline: false,
    refreshApt: false,
    timeoutMs: 5000,
    concurrency: 4,
    isRoot: true,
    redactor,
    signal: new AbortController().signal,
    env,
    ...(s.now ? { now: () => s.now ?? new Date() } : {}),
  };
  // Every scenario is captured and replayed: the replay must judge exactly as the live run did,
  // and the bundle is one more output the canaries must not be found in.
  const rt = await roundTrip(options);
  expectSameVerdicts(rt);
  const run = rt.original;
  const log = run.log.entries().map(formatLogEntry).join('\n');
  const facts = JSON.stringify(Object.fromEntries(run.outcomes), null, 1);
  return {
    results: new Map(run.results.map((r) => [r.id, r])),
    log,
    facts,
    outputs: { log, results: redactor.redact(JSON.stringify(run.results)), facts: redactor.redact(facts), ...Object.fromEntries([...rt.files].map(([name, text]) => [`bundle ${name}`, text])) },
  };
}

/** Texts that contain any of the canaries: `<first 10 chars>… in <where>`. */
export function leaks(texts: Record<string, string>, canaries: readonly string[]): string[] {
  const out: string[] = [];
  for (const [where, text] of Object.entries(texts)) for (const c of canaries) if (text.includes(c)) out.push(`${c.slice(0, 10)}… in ${where}`);
  return out;
}

/** The profile with the Zoho and bot sections pointed at fakes: a production-ready setup to vary. */
export function readyConfig(o: { zohoUrl: string; entraUrl: string }): Config {
  const c = structuredClone(ORDER_PROCESSING_PROFILE);
  c.domain.prod = 'orders.pippaoflondon.co.uk';
  c.env.files = ['.env'];
  c.zoho = {
    ...c.zoho,
    dataCenter: 'com',
    product: 'books',
    plan: 'professional',
    accountsUrl: o.zohoUrl,
    apiUrl: o.zohoUrl,
    throttle: { perMinute: 90, perDay: 4500, concurrency: 5 },
    dev: {
      orgId: '20000001',
      sandbox: true,
      clientId: { env: 'ZOHO_CLIENT_ID' },
      clientSecret: { env: 'ZOHO_CLIENT_SECRET' },
      refreshToken: { env: 'ZOHO_REFRESH_TOKEN' },
    },
    prod: {
      orgId: '10234695',
      sandbox: false,
      clientId: { env: 'ZOHO_PROD_CLIENT_ID', keyVaultSecret: 'zoho-client-id' },
      clientSecret: { env: 'ZOHO_PROD_CLIENT_SECRET', keyVaultSecret: 'zoho-client-secret' },
      refreshToken: { env: 'ZOHO_PROD_REFRESH_TOKEN', keyVaultSecret: 'zoho-refresh-token' },
    },
  };
  c.bot = {
    ...c.bot,
    registration: 'separate',
    loginUrl: o.entraUrl,
    graphUrl: o.entraUrl,
    dev: { appId: '11111111-1111-1111-1111-111111111111', tenantId: '22222222-2222-2222-2222-222222222222', secret: { env: 'MICROSOFT_APP_PASSWORD' } },
    prod: {
      appId: '33333333-3333-3333-3333-333333333333',
      tenantId: '22222222-2222-2222-2222-222222222222',
      appType: 'SingleTenant',
      secret: { env: 'MICROSOFT_APP_PASSWORD_PROD', keyVaultSecret: 'bot-app-password' },
    },
  };
  c.azure = { ...c.azure, prod: { ...c.azure.prod, keyVault: 'pippai-keyvault-prod' } };
  return c;
}

/** A rotation policy document recognised by content. */
export const ROTATION_POLICY = [
  '# Security operations',
  '',
  '## Secret rotation',
  '',
  'We rotate every production secret every 90 days: the Zoho client secret and refresh token,',
  'the bot app secret (MICROSOFT_APP_PASSWORD) and the storage account keys. The on-call engineer',
  'owns the rotation; Key Vault expiry dates are set to the rotation date.',
  '',
].join('\n');

/** Key Vault inventory of a ready prod vault (updated 10 days before `now`, expiring in 80). */
export function readyVaultSecrets(now: Date): KeyVaultSecretMeta[] {
  const at = (days: number) => new Date(now.getTime() + days * 86_400_000).toISOString();
  return ['zoho-client-id', 'zoho-client-secret', 'zoho-refresh-token', 'bot-app-password'].map((name) => ({ name, enabled: true, updatedOn: at(-10), expiresOn: at(80) }));
}
