/**
 * Words for the `zoho.prod` fact, shared by the Zoho checks and secrets.zoho-prod-tokens:
 * what a token outcome or an API read means, in one clause, with the log entries it came from.
 */
import type { Cause, Evidence, Unverified } from '../../engine/types.js';
import type { CredentialSource } from '../../facts/project.js';
import type { ZohoCall, ZohoProdStatus, ZohoTokenResult } from '../../facts/zoho.js';

/**
 * What Zoho's OAuth error codes mean for a refresh (https://github.com/asciisd/zoho/issues/6,
 * https://github.com/Weble/ZohoBooksApi/issues/84; research file section A).
 */
export const ZOHO_OAUTH_ERRORS: Readonly<Record<string, string>> = {
  invalid_client: 'wrong data centre or client id (the accounts server does not know this client)',
  invalid_code: 'refresh token revoked or wrong',
  invalid_client_secret: 'wrong client secret',
  invalid_grant: 'refresh token revoked or wrong',
};

/** Errors that say the refresh token itself is bad (the client was accepted). */
export const TOKEN_ERRORS = new Set(['invalid_code', 'invalid_grant', 'invalid_token']);

/** `invalid_code (refresh token revoked or wrong)`. */
export function oauthErrorText(code: string): string {
  const meaning = ZOHO_OAUTH_ERRORS[code];
  return meaning !== undefined ? `${code}: ${meaning}` : code;
}

const host = (url: string): string => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

/** One clause for the token refresh. */
export function tokenText(z: ZohoProdStatus): string {
  const t: ZohoTokenResult = z.token;
  const at = host(z.accountsUrl);
  switch (t.status) {
    case 'ok':
      return `token refresh at ${at} succeeded${t.apiDomain !== undefined ? ` (api_domain ${t.apiDomain})` : ''}`;
    case 'error':
      return `token refresh at ${at} refused (HTTP ${t.httpStatus} with "error"): ${oauthErrorText(t.error)}`;
    case 'throttled':
      return `token refresh at ${at} throttled: ${t.detail}; retry after the 10-minute window`;
    case 'http-error':
      return `token refresh at ${at} failed: ${t.detail}`;
    case 'unreachable':
      return `accounts server ${at} not reached: ${t.detail}`;
  }
}

/** Log refs of a token outcome. */
export function tokenRefs(t: ZohoTokenResult): number[] {
  return 'seq' in t ? [t.seq] : [];
}

/** One clause for an API read that did not give a value. */
export function callText<T>(what: string, c: Exclude<ZohoCall<T>, { status: 'ok' }>): string {
  switch (c.status) {
    case 'rate-limited':
      return `${what}: HTTP 429 rate limited${c.code !== undefined ? ` (code ${c.code}${c.message !== undefined ? `: ${c.message}` : ''})` : ''}`;
    case 'error':
      return `${what}: HTTP ${c.httpStatus}${c.code !== undefined ? ` code ${c.code}` : ''}${c.message !== undefined ? ` (${c.message})` : ''}`;
    case 'unreachable':
      return `${what}: not reached (${c.detail})`;
    case 'skipped':
      return `${what}: not read — ${c.detail}`;
  }
}

/** Log refs of an API read. */
export function callRefs<T>(c: ZohoCall<T>): number[] {
  return 'seq' in c ? [c.seq] : [];
}

/** `env ZOHO_CLIENT_ID (workflow-api/.env:3)` — where a credential came from, never its value. */
export function sourceText(s: CredentialSource): string {
  switch (s.kind) {
    case 'process-env':
      return `environment variable ${s.name}`;
    case 'env-file':
      return `${s.name} in ${s.path}:${s.line}`;
    case 'none':
      return `not available (${s.reason})`;
  }
}

/** Evidence lines: where each production credential came from. */
export function credentialEvidence(z: ZohoProdStatus): Evidence[] {
  return [
    { text: `zoho.prod.clientId from ${sourceText(z.credentials.clientId)}` },
    { text: `zoho.prod.clientSecret from ${sourceText(z.credentials.clientSecret)}` },
    { text: `zoho.prod.refreshToken from ${sourceText(z.credentials.refreshToken)}` },
  ];
}

const origin = (url: string): string => {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
};

/** The root cause of a token refresh that did not give a token; undefined when it did (or Zoho refused it: a finding). */
export function tokenCause(z: ZohoProdStatus): Cause | undefined {
  switch (z.token.status) {
    case 'ok':
    case 'error':
      return undefined;
    case 'throttled':
      return { kind: 'throttled', service: 'zoho' };
    case 'unreachable':
      return { kind: 'unreachable', endpoint: origin(z.accountsUrl) };
    case 'http-error':
      return { kind: 'probe', probe: 'zoho.prod', reason: 'failed' };
  }
}

/** What a token refresh that did not give a token leaves unverified. */
export function tokenUnverified(z: ZohoProdStatus): Unverified | undefined {
  const cause = tokenCause(z);
  if (cause === undefined) return undefined;
  const refs = tokenRefs(z.token);
  return { probe: 'zoho.prod', cause, detail: tokenText(z), ...(refs.length > 0 ? { refs } : {}) };
}

/** What an API read that gave no value leaves unverified (its own cause, or the token's when it was skipped for want of one). */
export function callUnverified<T>(what: string, c: ZohoCall<T>, z: ZohoProdStatus): Unverified | undefined {
  if (c.status === 'ok') return undefined;
  const refs = callRefs(c);
  const at = { probe: 'zoho.prod', detail: callText(what, c), ...(refs.length > 0 ? { refs } : {}) };
  switch (c.status) {
    case 'rate-limited':
      return { ...at, cause: { kind: 'throttled', service: 'zoho' } };
    case 'unreachable':
      return { ...at, cause: { kind: 'unreachable', endpoint: origin(z.apiUrl) } };
    case 'error':
      return { ...at, cause: c.httpStatus === 401 || c.httpStatus === 403 ? { kind: 'forbidden', service: 'zoho', role: `an OAuth scope that allows reading ${what}` } : { kind: 'probe', probe: 'zoho.prod', reason: 'failed' } };
    case 'skipped': {
      if (/TBD/.test(c.detail)) return { ...at, probe: undefined, cause: { kind: 'undecided', key: 'zoho.prod.orgId' } } as Unverified;
      return { ...at, cause: tokenCause(z) ?? { kind: 'probe', probe: 'zoho.prod', reason: 'failed' } };
    }
  }
}
