/**
 * Parser for the Instance Metadata Service's `GET /metadata/instance` JSON: `compute` holds
 * subscriptionId, resourceGroupName, name, location, `tags` (`k:v;k2:v2`) and, from api-version
 * 2019-06-04, `tagsList` (`[{ "name": …, "value": … }]`). Every primitive is a string
 * (https://learn.microsoft.com/azure/virtual-machines/instance-metadata-service#instance-metadata).
 */
import type { ProbeResult } from '../../engine/types.js';
import type { ImdsInstance } from '../../facts/discovery.js';

const str = (o: Record<string, unknown>, k: string): string => (typeof o[k] === 'string' ? o[k] : '');

function tagsOf(compute: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  const list = compute['tagsList'];
  if (Array.isArray(list)) {
    for (const t of list) {
      if (t !== null && typeof t === 'object' && 'name' in t && typeof t.name === 'string') out[t.name] = 'value' in t && typeof t.value === 'string' ? t.value : '';
    }
    return out;
  }
  // `tags` joins pairs with `;` and name from value with the first `:`
  for (const pair of str(compute, 'tags').split(';')) {
    const i = pair.indexOf(':');
    if (i > 0) out[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return out;
}

export function parseImdsInstance(body: string, url: string): ProbeResult<ImdsInstance> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, reason: 'failed', detail: 'IMDS answered something that is not JSON' };
  }
  const compute = json !== null && typeof json === 'object' && 'compute' in json ? json.compute : undefined;
  if (compute === null || typeof compute !== 'object') return { ok: false, reason: 'failed', detail: 'IMDS answer has no "compute" object' };
  const c = compute as Record<string, unknown>;
  const instance: ImdsInstance = {
    subscriptionId: str(c, 'subscriptionId'),
    resourceGroupName: str(c, 'resourceGroupName'),
    name: str(c, 'name'),
    location: str(c, 'location'),
    tags: tagsOf(c),
    ...(str(c, 'resourceId') !== '' ? { resourceId: str(c, 'resourceId') } : {}),
    url,
  };
  if (instance.subscriptionId === '' || instance.resourceGroupName === '' || instance.name === '') {
    return { ok: false, reason: 'failed', detail: 'IMDS answer lacks compute.subscriptionId, resourceGroupName or name' };
  }
  return { ok: true, value: instance };
}
