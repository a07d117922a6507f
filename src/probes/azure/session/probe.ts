import { defineProbe } from '../../../engine/define.js';
import type { ProbeContext } from '../../../engine/types.js';
import type { AzureSession } from '../../../facts/azure.js';
import { armScope, cachedCredential, type CredentialKind, sourceCredential } from '../credentials.js';
import { azureHttpClient } from '../setup.js';
import { AZURE_ASSET_TAG, DMI_CHASSIS_ASSET_TAG } from '../../discovery/imds.js';

/** The order `auto` tries sources in (DefaultAzureCredential's, without its other members). */
const AUTO_ORDER: readonly CredentialKind[] = ['environment', 'managed-identity', 'cli'];

const LABEL: Record<CredentialKind, string> = { environment: 'environment', 'managed-identity': 'managed identity', cli: 'Azure CLI' };

/**
 * The one remedy every Azure check shows when there is no credential. The tool never runs
 * `az login` or `az account set` itself: they change the user's CLI state.
 */
export const NO_CREDENTIALS_FIX =
  'run `az login` then `az account set --subscription <subscription-id>` as the user who runs predeploy, ' +
  'or give the VM a managed identity with the Reader role on the dev and prod resource groups (Key Vault Reader on the vaults)';

/** A variable of the environment the run was started with (only src/cli reads `process`). */
function contextEnv(ctx: ProbeContext, name: string): string | undefined {
  const v = ctx.env[name]?.trim();
  return v !== undefined && v !== '' ? v : undefined;
}

interface AzAccount {
  id?: string;
  tenantId?: string;
  user?: string;
}

/** `az account show --output json`: the CLI's default subscription. */
async function azAccountShow(ctx: ProbeContext): Promise<AzAccount | string> {
  const r = await ctx.exec(['az', 'account', 'show', '--output', 'json']);
  if (r.refused !== undefined) return `az account show refused: ${r.refused}`;
  if (r.spawnError !== undefined || r.exitCode !== 0) return `az account show failed (${r.spawnError ?? `exit ${r.exitCode ?? 'signal'}`})`;
  try {
    const o: unknown = JSON.parse(r.stdout);
    if (o === null || typeof o !== 'object') return 'az account show printed no object';
    const rec = o as Record<string, unknown>;
    const user = rec['user'] !== null && typeof rec['user'] === 'object' ? (rec['user'] as Record<string, unknown>)['name'] : undefined;
    return {
      ...(typeof rec['id'] === 'string' ? { id: rec['id'] } : {}),
      ...(typeof rec['tenantId'] === 'string' ? { tenantId: rec['tenantId'] } : {}),
      ...(typeof user === 'string' ? { user } : {}),
    };
  } catch {
    return 'az account show did not print JSON';
  }
}

/** `GET /subscriptions`: the one subscription this identity can see, when it sees exactly one. */
async function onlyVisibleSubscription(ctx: ProbeContext, endpoint: string, token: string, ca: string | undefined): Promise<string | { error: string }> {
  try {
    const r = await ctx.http({
      method: 'GET',
      url: `${endpoint.replace(/\/+$/, '')}/subscriptions?api-version=2022-12-01`,
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      ...(ca !== undefined ? { tls: { ca } } : {}),
    });
    if (r.status !== 200) return { error: `listing subscriptions answered HTTP ${r.status}` };
    const body: unknown = JSON.parse(r.body);
    const value = body !== null && typeof body === 'object' && 'value' in body && Array.isArray(body.value) ? (body.value as unknown[]) : [];
    const ids = value.flatMap((s) => (s !== null && typeof s === 'object' && 'subscriptionId' in s && typeof s.subscriptionId === 'string' ? [s.subscriptionId] : []));
    if (ids.length === 1 && ids[0] !== undefined) return ids[0];
    return { error: `the identity sees ${ids.length} subscriptions` };
  } catch (err) {
    return { error: `listing subscriptions failed: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/**
 * `azure.session`: finds a working credential (config `azure.credential`; `auto` tries the
 * environment, the managed identity, then the Azure CLI login) by asking for an ARM token, and
 * resolves the subscription: `azure.subscriptionId` → `AZURE_SUBSCRIPTION_ID` → the CLI's
 * default (`az account show`) → the only subscription the identity can see.
 *
 * No credential → `no-credentials` with what each source said and the fix; every other Azure
 * probe then fails with the same reason and detail, so each Azure check says it once.
 */
export const sessionProbe = defineProbe({
  id: 'azure.session',
  describe: 'Azure credential (environment, managed identity, or az account get-access-token) and subscription',
  network: true,
  async collect(ctx) {
    const cfg = ctx.config.azure;
    const scope = armScope(cfg.armEndpoint);
    const order = cfg.credential === 'auto' ? AUTO_ORDER : [cfg.credential];
    let httpClient;
    try {
      httpClient = await azureHttpClient(ctx);
    } catch (err) {
      return { ok: false, reason: 'failed', detail: err instanceof Error ? err.message : String(err) };
    }
    const configured = cfg.subscriptionId ?? contextEnv(ctx, 'AZURE_SUBSCRIPTION_ID');
    const tried: string[] = [];
    let chosen: CredentialKind | undefined;
    let token = '';
    // `auto` asks the VM's managed identity (IMDS, 169.254.169.254) only on an Azure VM, as DMI
    // says: off Azure nothing is sent to the link-local address.
    const onAzure = cfg.credential === 'auto' ? await dmiSaysAzure(ctx) : true;
    for (const kind of order) {
      if (kind === 'managed-identity' && !onAzure) {
        tried.push(`${LABEL[kind]}: not an Azure VM (DMI chassis asset tag), not asked`);
        continue;
      }
      const credential = cachedCredential(ctx, kind, () => sourceCredential(ctx, kind, httpClient, configured));
      try {
        token = (await credential.getToken(scope)).token;
        chosen = kind;
        break;
      } catch (err) {
        const said = err instanceof Error ? err.message.split('\n')[0] ?? '' : String(err);
        tried.push(said.toLowerCase().startsWith(LABEL[kind].toLowerCase()) ? said : `${LABEL[kind]}: ${said}`);
      }
    }
    if (chosen === undefined) {
      return { ok: false, reason: 'no-credentials', detail: `no Azure credentials (${tried.join('; ')}); fix: ${NO_CREDENTIALS_FIX}`, cause: { kind: 'no-credentials', service: 'azure' } };
    }

    let subscriptionId = cfg.subscriptionId;
    let subscriptionSource: AzureSession['subscriptionSource'] = 'config';
    let account: AzAccount = {};
    if (subscriptionId === undefined && configured !== undefined) {
      subscriptionId = configured;
      subscriptionSource = 'environment';
    }
    if (subscriptionId === undefined && chosen === 'cli') {
      const shown = await azAccountShow(ctx);
      if (typeof shown === 'string') return { ok: false, reason: 'failed', detail: `no subscription: azure.subscriptionId is not set and ${shown}` };
      account = shown;
      subscriptionId = shown.id;
      subscriptionSource = 'cli';
    }
    if (subscriptionId === undefined) {
      const ca = cfg.caFile !== undefined ? (await ctx.readFile(cfg.caFile))?.toString('utf8') : undefined;
      const only = await onlyVisibleSubscription(ctx, cfg.armEndpoint, token, ca);
      if (typeof only !== 'string') {
        return { ok: false, reason: 'failed', detail: `no subscription: set azure.subscriptionId in predeploy.yaml or AZURE_SUBSCRIPTION_ID (${only.error})` };
      }
      subscriptionId = only;
      subscriptionSource = 'only-visible';
    }
    const tenantId = cfg.tenantId ?? account.tenantId;
    return {
      ok: true,
      value: {
        credential: chosen,
        subscriptionId,
        subscriptionSource,
        ...(tenantId !== undefined ? { tenantId } : {}),
        ...(account.user !== undefined ? { account: account.user } : {}),
        armEndpoint: cfg.armEndpoint,
        armScope: scope,
      },
    };
  },
});

/** The chassis asset tag every Azure VM carries (discovery reads the same file). */
async function dmiSaysAzure(ctx: ProbeContext): Promise<boolean> {
  try {
    return (await ctx.readFile(DMI_CHASSIS_ASSET_TAG, 4096))?.toString('utf8').trim() === AZURE_ASSET_TAG;
  } catch {
    return false;
  }
}
