/**
 * Runs the Azure probes and checks in-process (the engine's real run: safety layer, commands
 * log, redactor) against the fake ARM server, with a fake `az` first on PATH.
 */
import { ORDER_PROCESSING_PROFILE } from '../../../src/config/profile.js';
import type { Config } from '../../../src/config/schema.js';
import { CHECKS } from '../../../src/checks/index.js';
import type { RunResult } from '../../../src/engine/run.js';
import { expectSameVerdicts, roundTrip } from '../../helpers/round-trip.js';
import type { Check, Target } from '../../../src/engine/types.js';
import { PROBES } from '../../../src/probes/index.js';
import { AZURE_PROBES } from '../../../src/probes/azure/index.js';
import { Redactor } from '../../../src/safety/redactor.js';
import type { FakeArm } from '../../servers/fake-arm.js';
import { fakeAz, type FakeAz } from '../../servers/fake-az.js';
import { PathTarget } from '../../servers/path-target.js';

export const NAMES = {
  dev: { resourceGroup: 'TBD', keyVault: 'pippai-keyvault-dev', storageAccount: 'pippaistoragedev', cosmosAccount: 'pippai-cosmos-dev', vm: 'pippai-vm-dev', botName: 'pippai-bot-dev' },
  prod: { resourceGroup: 'rg-orders-prod', keyVault: 'pippai-keyvault-prod', storageAccount: 'pippaistorageprod', cosmosAccount: 'pippai-cosmos-prod', vm: 'pippai-vm-prod', botName: 'pippai-bot-prod' },
};

export const PROD_DOMAIN = 'orders.pippaoflondon.co.uk';

/** The profile pointed at the fake server: dev's resource group left TBD (found by discovery). */
export function azureConfig(arm: FakeArm, over: (c: Config) => void = () => {}): Config {
  const c = structuredClone(ORDER_PROCESSING_PROFILE);
  c.domain.prod = PROD_DOMAIN;
  // the live web checks (monitoring.health-endpoint) must not leave loopback: a closed local port
  c.domain.connectTo = '127.0.0.1:9';
  c.domain.connectToHttp = '127.0.0.1:9';
  c.azure = {
    ...c.azure,
    subscriptionId: arm.subscriptionId,
    armEndpoint: arm.url,
    credential: 'cli',
    caFile: arm.caFile,
    dnsResolver: arm.dohUrl,
    dev: { ...NAMES.dev },
    prod: { ...NAMES.prod, shareWithDev: [] },
  };
  c.bot = {
    ...c.bot,
    registration: 'separate',
    dev: { ...c.bot.dev, appId: '22222222-2222-2222-2222-222222222222', tenantId: arm.tenantId },
    prod: { ...c.bot.prod, appId: '11111111-1111-1111-1111-111111111111', tenantId: arm.tenantId },
  };
  over(c);
  return c;
}

export interface AzureRun extends RunResult {
  az: FakeAz;
  redactor: Redactor;
  /** the commands log as text (every entry, redacted) */
  logText: string;
}

/** The Azure sections' checks (1, 4, 5, 7) run against the fake server. */
export async function runAzure(
  arm: FakeArm,
  o: {
    config?: Config;
    only?: string[];
    timeoutMs?: number;
    az?: FakeAz;
    target?: Target;
    checks?: readonly Check[];
    now?: () => Date;
    /** false for a run whose outcome depends on a wall-clock budget running out: a replay answers at once (docs/bundle-format.md) */
    replayable?: boolean;
  } = {},
): Promise<AzureRun> {
  const az = o.az ?? fakeAz({ subscriptionId: arm.subscriptionId, tenantId: arm.tenantId });
  const redactor = new Redactor();
  // Every scenario is captured and replayed: the replay must judge exactly as the live run did.
  const rt = await roundTrip({
    config: o.config ?? azureConfig(arm),
    configSource: null,
    root: '/nonexistent-root',
    target: o.target ?? new PathTarget(`${az.dir}:/usr/bin:/bin`),
    checks: o.checks ?? CHECKS,
    probes: { ...PROBES, ...AZURE_PROBES },
    only: o.only ?? ['infra.prod-resources', 'infra.key-vault', 'infra.storage', 'infra.cosmos', 'infra.dns', 'monitoring', 'backup.cosmos-policy', 'backup.blob-versioning', 'bot'],
    skip: [],
    offline: false,
    refreshApt: false,
    timeoutMs: o.timeoutMs ?? 10_000,
    concurrency: 8,
    isRoot: true,
    redactor,
    signal: new AbortController().signal,
    ...(o.now ? { now: o.now } : {}),
  });
  if (o.replayable !== false) expectSameVerdicts(rt);
  const run = rt.original;
  const logText = run.log
    .entries()
    .map((e) => `${e.seq} ${e.kind} ${e.action} → ${e.result} ${e.probe ?? ''}\n${e.output}`)
    .join('\n');
  return { ...run, az, redactor, logText };
}
