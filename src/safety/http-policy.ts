/**
 * The HTTP gate (docs/ARCHITECTURE.md invariant 1): reads only. GET and HEAD to http(s) URLs, plus the
 * token requests reads depend on — a Zoho refresh-token grant and an Entra client-credentials
 * grant. No other POST, no PUT/PATCH/DELETE, and never an authorization-code exchange.
 */
import type { PolicyVerdict } from './command-policy.js';

/** POST endpoints that are allowed, by URL path suffix, and the one grant each may use. */
const TOKEN_ENDPOINTS: readonly { suffix: string; grant: string; who: string }[] = [
  // https://www.zoho.com/accounts/protocol/oauth/web-apps/access-token-expiry.html
  { suffix: '/oauth/v2/token', grant: 'refresh_token', who: 'Zoho' },
  // https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
  { suffix: '/oauth2/v2.0/token', grant: 'client_credentials', who: 'Entra' },
  { suffix: '/oauth2/token', grant: 'client_credentials', who: 'Entra (v1)' },
];

/** The grant_type values in a form body and the query string (both are used by Zoho). */
function grantTypes(url: URL, body: string | undefined): string[] {
  const grants = url.searchParams.getAll('grant_type');
  if (body !== undefined && body !== '') {
    const trimmed = body.trimStart();
    if (trimmed.startsWith('{')) {
      try {
        const parsed: unknown = JSON.parse(trimmed);
        if (parsed !== null && typeof parsed === 'object' && 'grant_type' in parsed) grants.push(String(parsed.grant_type));
      } catch {
        grants.push('<unparsable JSON body>');
      }
    } else {
      grants.push(...new URLSearchParams(body).getAll('grant_type'));
    }
  }
  return grants;
}

/** Checks one HTTP request against the read-only HTTP policy. */
export function checkHttp(req: { method: string; url: string; body?: string }): PolicyVerdict {
  const refuse = (reason: string): PolicyVerdict => ({ allowed: false, reason });
  const method = req.method.toUpperCase();
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    return refuse('not a valid absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return refuse(`scheme ${url.protocol} is not allowed (http and https only)`);
  const shown = `${method} ${redactUrl(req.url)}`;
  if (method === 'GET' || method === 'HEAD') {
    return req.body === undefined || req.body === '' ? { allowed: true } : refuse(`${shown}: a ${method} request must not carry a body`);
  }
  if (method !== 'POST') return refuse(`${shown}: method ${method} is not allowed (read-only: GET, HEAD and token POSTs)`);
  const endpoint = TOKEN_ENDPOINTS.find((e) => url.pathname.endsWith(e.suffix));
  if (!endpoint) return refuse(`${shown}: POST is allowed only to OAuth token endpoints`);
  const grants = grantTypes(url, req.body);
  if (grants.length === 0) return refuse(`${shown}: no grant_type; ${endpoint.who} token requests must use ${endpoint.grant}`);
  const other = grants.find((g) => g !== endpoint.grant);
  if (other !== undefined) return refuse(`${shown}: grant_type ${other} is not allowed; ${endpoint.who} token requests must use ${endpoint.grant}`);
  return { allowed: true };
}

/**
 * Query parameters whose values are never secret and help a reader of the log
 * (`name`/`type`: DNS-over-HTTPS queries, where the host name looked up is the evidence).
 */
const HARMLESS_PARAMS = new Set(['api-version', '$select', '$filter', '$top', '$skiptoken', 'organization_id', 'timespan', 'name', 'type']);

function decodeKey(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' ')).toLowerCase();
  } catch {
    return raw.toLowerCase();
  }
}

/**
 * A URL fit for the log: scheme, host and path kept; query values kept only for harmless
 * parameters, others replaced by `[REDACTED]`; a userinfo password and any fragment hidden.
 * The original encoding of what is kept is preserved (no re-serialisation).
 */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    // not a URL we can take apart: keep what precedes the query, hide userinfo passwords
    const base = url.split(/[?#]/, 1)[0] ?? '';
    const hidden = base.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/[^/:@\s]*):[^/@\s]*@/, '$1:[REDACTED]@');
    return hidden + (base.length < url.length ? '?[REDACTED]' : '');
  }
  const userinfo = u.username !== '' || u.password !== '' ? `${u.username}${u.password !== '' ? ':[REDACTED]' : ''}@` : '';
  const query = u.search
    .slice(1)
    .split('&')
    .filter((p) => p !== '')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      const key = pair.slice(0, eq);
      return HARMLESS_PARAMS.has(decodeKey(key)) ? pair : `${key}=[REDACTED]`;
    })
    .join('&');
  return `${u.protocol}//${userinfo}${u.host}${u.pathname}${query !== '' ? `?${query}` : ''}${u.hash !== '' ? '#[REDACTED]' : ''}`;
}
