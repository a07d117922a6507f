/**
 * Pure parsers for the Zoho answers the `zoho.prod` probe reads. Bodies are copied in tests
 * from the sources in /work/shared/research/zoho-and-bot-facts.md. Nothing here keeps a token,
 * a secret or a raw body: codes, ids, names and numbers only. Values that must be hidden
 * (tokens, webhook secrets) are returned separately for the probe to hand to the redactor.
 */
import { looksLikeSecretValue } from '../../../config/dotenv.js';
import type { ZohoCall, ZohoOrganization, ZohoRateLimitSample, ZohoTokenResult, ZohoWebhook } from '../../../facts/zoho.js';

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** JSON object body, or undefined. */
export function jsonObject(body: string): Json | undefined {
  try {
    const v: unknown = JSON.parse(body);
    return isRecord(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** A short, single-line text from a server field: never a whole body. */
export function shortText(v: unknown, max = 200): string | undefined {
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  const one = v.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max)}…` : one;
}

/** An OAuth error code as sent, when it looks like one (`invalid_client`, `Access Denied`); a body echoing input is not one. */
function errorCode(v: unknown): string | undefined {
  return typeof v === 'string' && /^[A-Za-z][A-Za-z0-9_ .-]{0,63}$/.test(v) ? v : undefined;
}

/** What a token response yields: the fact, and the access token for the probe alone. */
export interface ParsedToken {
  result: ZohoTokenResult;
  accessToken?: string;
}

/**
 * `POST {accounts}/oauth/v2/token` answer. Success:
 * `{"access_token":"…","expires_in":3600,"api_domain":"https://www.zohoapis.com","token_type":"Bearer"}`
 * (https://www.zoho.com/phonebridge/developer/v3/refresh.html). Errors arrive as HTTP 200 with
 * `{"error":"invalid_code"}` / `{"error":"invalid_client"}` (https://github.com/asciisd/zoho/issues/6);
 * throttling as HTTP 200 `"error":"Access Denied"`
 * (https://help.zoho.com/portal/en/community/topic/kaizen-43-tokens-and-limitations).
 */
export function parseTokenResponse(httpStatus: number, body: string, seq: number): ParsedToken {
  const json = jsonObject(body);
  if (httpStatus === 429) return { result: { status: 'throttled', seq, httpStatus, detail: 'HTTP 429 from the accounts server' } };
  if (!json) return { result: { status: 'http-error', seq, httpStatus, detail: `HTTP ${httpStatus}, body is not a JSON object` } };
  if (json['error'] !== undefined) {
    const code = errorCode(json['error']);
    if (code !== undefined && /^access denied$/i.test(code)) {
      return {
        result: {
          status: 'throttled',
          seq,
          httpStatus,
          detail: 'Access Denied: too many token requests (Zoho allows 10 access tokens per refresh token per 10 minutes)',
        },
      };
    }
    return { result: { status: 'error', seq, httpStatus, error: code ?? 'unrecognised error value' } };
  }
  const token = json['access_token'];
  if (httpStatus >= 200 && httpStatus < 300 && typeof token === 'string' && token !== '') {
    const expires = json['expires_in'];
    const apiDomain = json['api_domain'];
    const scope = json['scope'];
    return {
      accessToken: token,
      result: {
        status: 'ok',
        seq,
        httpStatus,
        ...(typeof expires === 'number' ? { expiresIn: expires } : {}),
        ...(typeof apiDomain === 'string' && /^https?:\/\/[A-Za-z0-9.:-]+\/?$/.test(apiDomain) ? { apiDomain: apiDomain.replace(/\/$/, '') } : {}),
        ...(typeof scope === 'string' ? { scopes: scope.split(/[\s,]+/).filter((s) => s !== '') } : {}),
      },
    };
  }
  return { result: { status: 'http-error', seq, httpStatus, detail: `HTTP ${httpStatus} without an access_token or an error field` } };
}

const num = (v: string | undefined): number | undefined => (v !== undefined && /^\d+$/.test(v.trim()) ? Number(v.trim()) : undefined);

/** `X-Rate-Limit-Limit/-Remaining/-Reset` and `Retry-After` from lower-cased headers; undefined when none is present. */
export function rateLimitSample(call: string, seq: number, httpStatus: number, headers: Record<string, string>): ZohoRateLimitSample | undefined {
  const limit = num(headers['x-rate-limit-limit']);
  const remaining = num(headers['x-rate-limit-remaining']);
  const reset = num(headers['x-rate-limit-reset']);
  const retryAfter = shortText(headers['retry-after'], 40);
  if (limit === undefined && remaining === undefined && reset === undefined && retryAfter === undefined && httpStatus !== 429) return undefined;
  return {
    call,
    seq,
    httpStatus,
    ...(limit !== undefined ? { limit } : {}),
    ...(remaining !== undefined ? { remaining } : {}),
    ...(reset !== undefined ? { reset } : {}),
    ...(retryAfter !== undefined ? { retryAfter } : {}),
  };
}

/**
 * A Zoho API answer: HTTP 429 is rate-limited (codes 44, 45, 1070); any other non-2xx, or a
 * body whose `code` is not 0, is an error (https://www.zoho.com/books/api/v3/errors/).
 */
export function parseApiEnvelope(httpStatus: number, body: string, seq: number): { ok: true; json: Json } | { ok: false; call: ZohoCall<never> } {
  const json = jsonObject(body);
  const code = typeof json?.['code'] === 'number' ? json['code'] : undefined;
  const message = shortText(json?.['message']);
  const extra = { ...(code !== undefined ? { code } : {}), ...(message !== undefined ? { message } : {}) };
  if (httpStatus === 429) return { ok: false, call: { status: 'rate-limited', seq, httpStatus, ...extra } };
  if (httpStatus < 200 || httpStatus >= 300 || !json || code !== 0) {
    return { ok: false, call: { status: 'error', seq, httpStatus, ...extra, ...(json ? {} : { message: `HTTP ${httpStatus}, body is not a JSON object` }) } };
  }
  return { ok: true, json };
}

const idOf = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);

/** `organizations` of `GET /organizations` (https://www.zoho.com/books/api/v3/organizations/). */
export function parseOrganizations(json: Json): ZohoOrganization[] | undefined {
  const list = json['organizations'];
  if (!Array.isArray(list)) return undefined;
  const out: ZohoOrganization[] = [];
  for (const o of list) {
    if (!isRecord(o)) continue;
    const id = idOf(o['organization_id']);
    if (id === undefined) continue;
    const active = o['is_org_active'];
    const plan = shortText(o['plan_name'], 60) ?? shortText(o['plan_type'], 60);
    out.push({
      id,
      name: shortText(o['name'], 120) ?? '',
      active: typeof active === 'boolean' ? active : null,
      ...(typeof o['is_default_org'] === 'boolean' ? { isDefault: o['is_default_org'] } : {}),
      ...(plan !== undefined ? { planName: plan } : {}),
    });
  }
  return out;
}

/**
 * Organization ids in `GET /sandboxes` (https://www.zoho.com/books/api/v3/sandbox). The response
 * fields are not documented: every `*organization_id` / `*org_id` / `sandbox_id` of each entry
 * is taken, so a prod id that matches any of them is flagged.
 */
export function parseSandboxOrgIds(json: Json): string[] | undefined {
  const list = json['sandboxes'] ?? json['sandbox_list'] ?? json['sandbox'];
  const entries = Array.isArray(list) ? list : isRecord(list) ? [list] : undefined;
  if (!entries) return undefined;
  const ids = new Set<string>();
  for (const e of entries) {
    if (!isRecord(e)) continue;
    for (const [k, v] of Object.entries(e)) {
      if (!/(?:organization_id|org_id|^sandbox_id)$/i.test(k)) continue;
      const id = idOf(v);
      if (id !== undefined) ids.add(id);
    }
  }
  return [...ids];
}

/** What a webhooks answer yields: the fact, and values to hide (secrets, header values, URL keys). */
export interface ParsedWebhooks {
  webhooks: ZohoWebhook[];
  secrets: string[];
}

function splitUrl(raw: unknown, secrets: string[]): ZohoWebhook['url'] {
  if (typeof raw !== 'string' || raw === '') return null;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return null;
  }
  // A webhook URL may carry its key in the query or in a path segment (`/hooks/<token>`).
  for (const v of u.searchParams.values()) secrets.push(v);
  for (const seg of u.pathname.split('/')) if (looksLikeSecretValue(decodeURIComponent(seg))) secrets.push(seg);
  if (u.password !== '') secrets.push(u.password);
  return { scheme: u.protocol.replace(/:$/, ''), host: u.hostname.toLowerCase(), hasQuery: u.search !== '' };
}

/**
 * `webhooks` of `GET /settings/webhooks` (https://www.zoho.com/books/api/v3/webhooks; the list
 * call itself is not verified). The URL keeps scheme and host only.
 */
export function parseWebhooks(json: Json): ParsedWebhooks | undefined {
  const list = json['webhooks'];
  if (!Array.isArray(list)) return undefined;
  const secrets: string[] = [];
  const webhooks: ZohoWebhook[] = [];
  for (const w of list) {
    if (!isRecord(w)) continue;
    const secret = w['secret'];
    if (typeof secret === 'string' && secret !== '') secrets.push(secret);
    const headers = w['headers'];
    if (Array.isArray(headers)) {
      for (const h of headers) if (isRecord(h) && typeof h['value'] === 'string') secrets.push(h['value']);
    } else if (isRecord(headers)) {
      for (const v of Object.values(headers)) if (typeof v === 'string') secrets.push(v);
    }
    const id = idOf(w['webhook_id']);
    const entity = shortText(w['entity'], 60);
    const method = shortText(w['method'], 10);
    webhooks.push({
      ...(id !== undefined ? { id } : {}),
      name: shortText(w['webhook_name'], 120) ?? shortText(w['name'], 120) ?? '(unnamed)',
      ...(entity !== undefined ? { entity } : {}),
      ...(method !== undefined ? { method } : {}),
      url: splitUrl(w['url'], secrets),
      hasSecret: typeof secret === 'string' && secret !== '',
    });
  }
  return { webhooks, secrets: secrets.filter((s) => s !== '') };
}
