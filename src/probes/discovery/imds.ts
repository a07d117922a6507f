/**
 * The Azure Instance Metadata Service, asked only on an Azure VM.
 *
 * Whether this is an Azure VM comes from DMI first: Azure sets the chassis asset tag to
 * `7783-7084-3265-9085-8269-3286-77`
 * (https://learn.microsoft.com/troubleshoot/azure/virtual-machines/linux/linux-azure-guest-detection).
 * Off Azure nothing is sent to 169.254.169.254 — a link-local address that, elsewhere, may be
 * another cloud's metadata service or nothing at all. On Azure (or when asked to), one
 * `GET /metadata/instance?api-version=2021-02-01` with `Metadata: true`, a 1 s deadline, and no
 * proxy (the HTTP client connects directly; IMDS must never go through a proxy:
 * https://learn.microsoft.com/azure/virtual-machines/instance-metadata-service#proxies).
 */
import { isIP } from 'node:net';
import type { ProbeContext, ProbeResult } from '../../engine/types.js';
import type { AzureInstanceDiscovery } from '../../facts/discovery.js';
import { parseImdsInstance } from './imds-parse.js';

export const IMDS_ENDPOINT = 'http://169.254.169.254';
export const IMDS_API_VERSION = '2021-02-01';
export const IMDS_TIMEOUT_MS = 1000;
export const DMI_CHASSIS_ASSET_TAG = '/sys/class/dmi/id/chassis_asset_tag';
/** Azure's chassis asset tag (the ASCII codes of "MSFTAZURE", grouped). */
export const AZURE_ASSET_TAG = '7783-7084-3265-9085-8269-3286-77';

export interface ImdsOptions {
  /** ask IMDS even when DMI does not say Azure (`--azure-imds`) */
  force?: boolean;
  /** never ask IMDS */
  off?: boolean;
  /** tests only: a fake IMDS on loopback. Anything but 169.254.169.254 or a loopback address is refused. */
  endpoint?: string;
  /** tests only: where the chassis asset tag is read */
  dmiPath?: string;
}

/** The endpoint must be link-local IMDS, or loopback (a test's fake); nothing else is ever asked. */
function endpointAllowed(endpoint: string): boolean {
  try {
    const u = new URL(endpoint);
    const host = u.hostname.replace(/^\[|\]$/g, '');
    return u.protocol === 'http:' && (host === '169.254.169.254' || (isIP(host) !== 0 && (host === '::1' || host.startsWith('127.'))));
  } catch {
    return false;
  }
}

export async function collectAzureInstance(ctx: ProbeContext, o: ImdsOptions = {}): Promise<ProbeResult<AzureInstanceDiscovery>> {
  if (o.off) return { ok: true, value: { status: 'not-azure', detail: 'instance metadata discovery is off' } };
  const endpoint = o.endpoint ?? IMDS_ENDPOINT;
  if (!endpointAllowed(endpoint)) return { ok: false, reason: 'failed', detail: `IMDS endpoint ${endpoint} refused: only http://169.254.169.254 (or loopback in tests)` };
  let why: string;
  if (o.force) why = 'asked for (--azure-imds)';
  else {
    let tag: string | undefined;
    try {
      tag = (await ctx.readFile(o.dmiPath ?? DMI_CHASSIS_ASSET_TAG, 4096))?.toString('utf8').trim();
    } catch (err) {
      const code = err instanceof Error && 'code' in err ? String(err.code) : 'error';
      return { ok: true, value: { status: 'not-azure', detail: `DMI chassis asset tag unreadable (${code}): not treated as Azure; nothing sent to IMDS (--azure-imds asks anyway)` } };
    }
    if (tag !== AZURE_ASSET_TAG) {
      return { ok: true, value: { status: 'not-azure', detail: `not an Azure VM (DMI chassis asset tag ${tag === undefined ? 'absent' : 'is not Azure\'s'}); nothing sent to 169.254.169.254` } };
    }
    why = `DMI chassis asset tag ${AZURE_ASSET_TAG}`;
  }
  if (ctx.options.offline) return { ok: true, value: { status: 'unreachable', detail: 'Azure VM, but --offline: IMDS not asked' } };
  const url = `${endpoint.replace(/\/+$/, '')}/metadata/instance?api-version=${IMDS_API_VERSION}`;
  try {
    const r = await ctx.http({ method: 'GET', url, headers: { Metadata: 'true' }, timeoutMs: IMDS_TIMEOUT_MS });
    if (r.status !== 200) return { ok: true, value: { status: 'unreachable', detail: `IMDS answered HTTP ${r.status}` } };
    const parsed = parseImdsInstance(r.body, url);
    if (!parsed.ok) return parsed;
    return { ok: true, value: { status: 'found', instance: parsed.value, why } };
  } catch (err) {
    return { ok: true, value: { status: 'unreachable', detail: `IMDS did not answer (${err instanceof Error ? err.message : String(err)})` } };
  }
}
