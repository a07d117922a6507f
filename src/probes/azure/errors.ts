/**
 * Turning what an Azure SDK call threw into a fact (DESIGN.md invariant 3: a failure is a
 * value). A 403 says which role would allow the read — never "not found"; a 404 is "not found";
 * throttling past the time budget, timeouts and the rest keep their own reason.
 *
 * ARM error bodies: https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/common-deployment-errors
 * (`AuthorizationFailed`, `ResourceNotFound`, `ResourceGroupNotFound`, ...).
 */
import type { AzureErrorReason, Lookup } from '../../facts/azure.js';
import type { ProbeFailureReason } from '../../engine/types.js';

/** The parts of an SDK error we read (RestError, credential errors, our own). */
export interface AzureErrorInfo {
  status?: number;
  /** ARM / Key Vault error code (`AuthorizationFailed`, `ResourceNotFound`, `Forbidden`, ...) */
  code?: string;
  /** the service's message, first sentence, capped */
  message: string;
  name: string;
}

function field(o: unknown, key: string): unknown {
  return o !== null && typeof o === 'object' && key in o ? (o as Record<string, unknown>)[key] : undefined;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The first sentence of a message, capped: service messages can be long and repeat ids. */
function shorten(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  const cut = /^(.{40,300}?[.!?])(\s|$)/.exec(one)?.[1] ?? one;
  return cut.length > 300 ? `${cut.slice(0, 297)}...` : cut;
}

/** Reads status, code and message from whatever was thrown. */
export function errorInfo(err: unknown): AzureErrorInfo {
  const name = str(field(err, 'name')) ?? 'Error';
  const statusRaw = field(err, 'statusCode') ?? field(field(err, 'response'), 'status');
  const status = typeof statusRaw === 'number' ? statusRaw : undefined;
  let code = str(field(err, 'code'));
  let message = str(field(err, 'message')) ?? String(err);
  // The body's `error.code`/`error.message` are more precise than the SDK's wrapper message.
  const body = str(field(field(err, 'response'), 'bodyAsText'));
  if (body !== undefined) {
    try {
      const parsed: unknown = JSON.parse(body);
      const e = field(parsed, 'error');
      code = str(field(e, 'code')) ?? code;
      message = str(field(e, 'message')) ?? message;
    } catch {
      // not JSON: keep the SDK's message
    }
  }
  return { ...(status !== undefined ? { status } : {}), ...(code !== undefined ? { code } : {}), message: shorten(message), name };
}

/** What was being read, for messages: `read Key Vault pippai-keyvault-prod`. */
export interface ReadTarget {
  /** e.g. `Key Vault pippai-keyvault-prod` */
  what: string;
  /** the built-in role that allows this read, e.g. `Reader` */
  role: string;
  /** where the role must be assigned, e.g. `resource group rg-prod (or the subscription)` */
  scope: string;
}

/** The time budget or a request deadline ran out (ours, or the pipeline's abort). */
export function isTimeout(err: unknown): boolean {
  const name = str(field(err, 'name'));
  return name === 'TimeoutError' || name === 'AbortError' || /timed out/i.test(str(field(err, 'message')) ?? '');
}

/** The failure, as a lookup that is not `found`. */
export function lookupFailure(err: unknown, refs: number[], t: ReadTarget): Exclude<Lookup<never>, { status: 'found' }> {
  const info = errorInfo(err);
  const coded = info.code !== undefined ? `${info.code}: ` : '';
  if (info.status === 404) {
    return { status: 'not-found', detail: `${t.what} not found (${coded}${info.message})`, refs };
  }
  if (info.status === 403) {
    return {
      status: 'forbidden',
      role: t.role,
      detail: `cannot read ${t.what}: the identity lacks permission (HTTP 403 ${coded}${info.message}); assign ${t.role} on ${t.scope}`,
      refs,
    };
  }
  if (info.status === 401) {
    return { status: 'error', reason: 'no-credentials', detail: `cannot read ${t.what}: the token was rejected (HTTP 401 ${coded}${info.message})`, refs };
  }
  const reason = errorReason(err, info);
  const detail =
    reason === 'throttled'
      ? `cannot read ${t.what}: throttled by Azure (HTTP 429) and the wait it asked for does not fit the run's time budget`
      : reason === 'timeout'
        ? `cannot read ${t.what}: timed out (${info.message})`
        : `cannot read ${t.what}: ${info.status !== undefined ? `HTTP ${info.status} ` : ''}${coded}${info.message}`;
  return { status: 'error', reason, detail, refs };
}

function errorReason(err: unknown, info: AzureErrorInfo): AzureErrorReason {
  if (info.status === 429) return 'throttled';
  if (isTimeout(err)) return 'timeout';
  if (info.name === 'CredentialUnavailableError' || info.name === 'AuthenticationError' || info.name === 'AggregateAuthenticationError') {
    return 'no-credentials';
  }
  return 'failed';
}

/** The engine's failure reason for a lookup failure (for a probe that fails as a whole). */
export function probeReason(l: Exclude<Lookup<unknown>, { status: 'found' }>): ProbeFailureReason {
  switch (l.status) {
    case 'forbidden':
      return 'permission';
    case 'error':
      return l.reason === 'throttled' ? 'failed' : l.reason;
    default:
      return 'failed';
  }
}
