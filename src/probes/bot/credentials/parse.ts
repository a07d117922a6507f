/**
 * Pure parsers for the Entra token endpoint and Microsoft Graph answers the `bot.credentials`
 * probe reads. Bodies in tests are the documented ones (research file, sections E and F).
 * Nothing here keeps a token, a `secretText` or a `hint`; values to hide are returned apart.
 */
import type { BotGraphResult, BotPasswordCredential, BotTokenResult, GraphTokenVia } from '../../../facts/bot.js';

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

function jsonObject(body: string): Json | undefined {
  try {
    const v: unknown = JSON.parse(body);
    return isRecord(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** AADSTS codes from `error_codes` and the `error_description` text (`AADSTS7000222: ...`). */
function aadstsCodes(json: Json): number[] {
  const codes = new Set<number>();
  const list = json['error_codes'];
  if (Array.isArray(list)) for (const c of list) if (typeof c === 'number' && Number.isInteger(c)) codes.add(c);
  const desc = json['error_description'];
  if (typeof desc === 'string') for (const m of desc.matchAll(/AADSTS(\d{5,9})/g)) codes.add(Number(m[1]));
  return [...codes];
}

/** A token answer: the fact, and the access token for the probe alone. */
export interface ParsedEntraToken {
  result: BotTokenResult;
  accessToken?: string;
}

/**
 * `POST {login}/{tenant}/oauth2/v2.0/token` (client_credentials). Success:
 * `{"token_type":"Bearer","expires_in":3600,"ext_expires_in":3600,"access_token":"eyJ…"}`
 * (https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication).
 * Failures: `invalid_client` with AADSTS7000215 (bad secret), AADSTS7000222 (expired secret),
 * AADSTS700016 (app not in the tenant)
 * (https://learn.microsoft.com/en-us/azure/developer/java/sdk/troubleshooting-authentication-service-principal).
 */
export function parseEntraToken(httpStatus: number, body: string, seq: number): ParsedEntraToken {
  const json = jsonObject(body);
  if (!json) return { result: { status: 'http-error', seq, httpStatus, detail: `HTTP ${httpStatus}, body is not a JSON object` } };
  const token = json['access_token'];
  if (httpStatus >= 200 && httpStatus < 300 && typeof token === 'string' && token !== '') {
    const expires = json['expires_in'];
    return { accessToken: token, result: { status: 'ok', seq, ...(typeof expires === 'number' ? { expiresIn: expires } : {}) } };
  }
  const error = json['error'];
  if (typeof error === 'string' && /^[a-z_]{1,64}$/.test(error)) {
    return { result: { status: 'rejected', seq, httpStatus, error, aadsts: aadstsCodes(json) } };
  }
  return { result: { status: 'http-error', seq, httpStatus, detail: `HTTP ${httpStatus} without an access_token or an OAuth error` } };
}

/** What a Graph applications answer yields: the fact, and values to hide. */
export interface ParsedGraphApp {
  result: BotGraphResult;
  secrets: string[];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * `GET /v1.0/applications?$filter=appId eq '…'` → `{"value":[{…, "passwordCredentials":[…]}]}`
 * (https://learn.microsoft.com/graph/api/application-get; passwordCredential fields:
 * https://learn.microsoft.com/graph/api/resources/passwordcredential). 403
 * `Authorization_RequestDenied` means the caller lacks Application.Read.All.
 * `configuredSecret`, when the run has it, tells which credential the bot uses: its first
 * three characters are the credential's `hint`.
 */
export function parseGraphApplications(httpStatus: number, body: string, seq: number, via: GraphTokenVia, configuredSecret?: string): ParsedGraphApp {
  const json = jsonObject(body);
  const secrets: string[] = [];
  if (httpStatus === 401 || httpStatus === 403) {
    const err = isRecord(json?.['error']) ? json['error'] : undefined;
    const code = str(err?.['code']);
    return { result: { status: 'forbidden', seq, via, httpStatus, ...(code !== undefined && /^[A-Za-z_]{1,64}$/.test(code) ? { code } : {}) }, secrets };
  }
  if (httpStatus < 200 || httpStatus >= 300 || !json) {
    return { result: { status: 'error', seq, via, httpStatus, detail: `Graph answered HTTP ${httpStatus}` }, secrets };
  }
  const list = json['value'];
  // the list form (`$filter`), or the single object of `/applications(appId='…')`
  const apps = Array.isArray(list) ? list.filter(isRecord) : 'appId' in json || 'passwordCredentials' in json ? [json] : undefined;
  if (!apps) return { result: { status: 'error', seq, via, httpStatus, detail: 'no application list in the Graph answer' }, secrets };
  const app = apps[0];
  if (!app) return { result: { status: 'not-found', seq, via }, secrets };
  const creds: BotPasswordCredential[] = [];
  const pcs = app['passwordCredentials'];
  for (const pc of Array.isArray(pcs) ? pcs : []) {
    if (!isRecord(pc)) continue;
    const hint = str(pc['hint']);
    const secretText = str(pc['secretText']);
    // secretText is only ever returned by addPassword, but never let it (or a hint) out
    if (secretText !== undefined) secrets.push(secretText);
    if (hint !== undefined) secrets.push(hint);
    const keyId = str(pc['keyId']) ?? '(no keyId)';
    const displayName = str(pc['displayName']);
    const start = str(pc['startDateTime']);
    const end = str(pc['endDateTime']);
    creds.push({
      keyId,
      ...(displayName !== undefined ? { displayName } : {}),
      ...(start !== undefined ? { startDateTime: start } : {}),
      ...(end !== undefined ? { endDateTime: end } : {}),
      ...(configuredSecret !== undefined && hint !== undefined ? { matchesConfigured: configuredSecret.startsWith(hint) } : {}),
    });
  }
  const kcs = app['keyCredentials'];
  const displayName = str(app['displayName']);
  return {
    result: {
      status: 'ok',
      seq,
      via,
      ...(displayName !== undefined ? { displayName } : {}),
      passwordCredentials: creds,
      keyCredentialCount: Array.isArray(kcs) ? kcs.length : 0,
    },
    secrets,
  };
}
