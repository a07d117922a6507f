/**
 * Turning what an Azure SDK call threw into a fact (docs/ARCHITECTURE.md invariant 3: a failure is a
 * value). A 403 says which role would allow the read — never "not found"; a 404 is "not found";
 * throttling past the time budget, timeouts and the rest keep their own reason.
 *
 * ARM error bodies: https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/common-deployment-errors
 * (`AuthorizationFailed`, `ResourceNotFound`, `ResourceGroupNotFound`, ...).
 */
import type { AzureErrorReason, Lookup } from '../../facts/azure.js';
import type { ProbeFailure, ProbeFailureReason } from '../../engine/types.js';
import { lookupCause } from '../../engine/azure-causes.js';
import { MAX_THROTTLE_ATTEMPTS, parseThrottleNote, THROTTLE_NOTE } from './http-adapter.js';

/** The parts of an SDK error we read (RestError, credential errors, our own). */
export interface AzureErrorInfo {
  status?: number;
  /** ARM / Key Vault error code (`AuthorizationFailed`, `ResourceNotFound`, `Forbidden`, ...) */
  code?: string;
  /** the service's message, first sentence, capped */
  message: string;
  name: string;
  /** the origin the request went to (timeouts: the one that did not answer) */
  endpoint?: string;
  /** the adapter's note on a throttled answer it stopped retrying */
  throttle?: { attempts: number; waitMs: number; leftMs: number };
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
  const headers = field(field(err, 'response'), 'headers');
  const get = field(headers, 'get');
  const note = typeof get === 'function' ? str((get as (n: string) => unknown).call(headers, THROTTLE_NOTE)) : undefined;
  const throttle = parseThrottleNote(note);
  const url = str(field(field(err, 'request'), 'url'));
  let endpoint = str(field(err, 'endpoint'));
  if (endpoint === undefined && url !== undefined) {
    try {
      endpoint = new URL(url).origin;
    } catch {
      // not a URL: leave it out
    }
  }
  return {
    ...(status !== undefined ? { status } : {}),
    ...(code !== undefined ? { code } : {}),
    message: shorten(message),
    name,
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(throttle !== undefined ? { throttle } : {}),
  };
}

/** At this many attempts the adapter stops whatever the budget (its MAX_THROTTLE_ATTEMPTS). */
const MAX_ATTEMPTS_TEXT = MAX_THROTTLE_ATTEMPTS;

const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;

/** Why throttling ended the read, in the words of what happened (never "the budget" when it was not). */
export function throttleText(t: AzureErrorInfo['throttle']): string {
  if (t === undefined) return 'throttled: HTTP 429 (no retry was possible)';
  if (t.attempts >= MAX_ATTEMPTS_TEXT) return `still throttled after ${t.attempts} attempts (HTTP 429)`;
  if (t.attempts <= 1) return `throttled: HTTP 429, Retry-After ${seconds(t.waitMs)} exceeds the time left (${seconds(t.leftMs)})`;
  return `still throttled after ${t.attempts} attempts (HTTP 429); the next Retry-After ${seconds(t.waitMs)} exceeds the time left (${seconds(t.leftMs)})`;
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
      ? `cannot read ${t.what}: ${throttleText(info.throttle)}`
      : reason === 'timeout'
        ? `cannot read ${t.what}: timed out (${info.message})`
        : `cannot read ${t.what}: ${info.status !== undefined ? `HTTP ${info.status} ` : ''}${coded}${info.message}`;
  return { status: 'error', reason, detail, refs, ...(reason === 'timeout' && info.endpoint !== undefined ? { endpoint: info.endpoint } : {}) };
}

function errorReason(err: unknown, info: AzureErrorInfo): AzureErrorReason {
  if (info.status === 429) return 'throttled';
  if (isTimeout(err)) return 'timeout';
  if (info.name === 'CredentialUnavailableError' || info.name === 'AuthenticationError' || info.name === 'AggregateAuthenticationError') {
    return 'no-credentials';
  }
  return 'failed';
}

/**
 * A probe that fails as a whole because every lookup failed the same way: the engine's reason,
 * the details, and the root cause (a 403 names the role, a 429 is throttling, not "failed").
 */
export function lookupsFailure(failed: readonly Exclude<Lookup<unknown>, { status: 'found' }>[], probe: string): ProbeFailure | undefined {
  const first = failed[0];
  if (first === undefined) return undefined;
  const reason = probeReason(first);
  if (!failed.every((l) => probeReason(l) === reason)) return undefined;
  const cause = lookupCause(first, probe);
  return { ok: false, reason, detail: [...new Set(failed.map((l) => l.detail))].join('; '), ...(cause !== undefined ? { cause } : {}) };
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
