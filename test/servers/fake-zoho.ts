/**
 * A loopback fake of a Zoho accounts server and a Books/Inventory API server, answering with the
 * documented bodies (test/fixtures/zoho, SOURCES.md there). Plain HTTP on 127.0.0.1: the probe's
 * own client talks to it through `zoho.accountsUrl` / `zoho.apiUrl`.
 *
 * Accounts behaviour (research file, section A): OAuth errors are HTTP 200 with an `error`
 * field — an unknown client id is `invalid_client` (what a client registered in another data
 * centre gets), a wrong or revoked refresh token `invalid_code`; past the refresh budget the
 * answer is HTTP 200 "Access Denied". The API answers `Zoho-oauthtoken` requests only for a
 * token this server issued.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';

const FIXTURES = join(import.meta.dirname, '../fixtures/zoho');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');

/** A request as the fake saw it (the test asserts on method, path, query and form body). */
export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface FakeZohoOrg {
  id: string;
  name: string;
  active?: boolean;
}

export interface FakeZohoWebhook {
  name: string;
  url: string;
  entity?: string;
  secret?: string;
  headers?: { key: string; value: string }[];
}

export interface FakeZohoOptions {
  /** the client the accounts server knows; any other client id is `invalid_client` */
  client?: { id: string; secret: string };
  /** refresh tokens that work */
  refreshTokens?: string[];
  /** the access token issued (a canary in tests) */
  accessToken?: string;
  /** `api_domain` in the token response */
  apiDomain?: string;
  /** answer every refresh with HTTP 200 "Access Denied" (throttled) */
  throttleTokens?: boolean;
  /** echo the refresh token in error bodies (some proxies do; it must still never be printed) */
  echoRefreshToken?: boolean;
  organizations?: FakeZohoOrg[];
  /** answer API reads with HTTP 429 and this fixture's body */
  rateLimited?: 'daily' | 'minute' | 'concurrency';
  /** sandbox organization ids of the prod org; 'none' answers code 57 (no sandbox feature) */
  sandboxes?: string[] | 'none';
  /** sandbox organization ids per parent org (`organization_id` of the request); wins over `sandboxes`; an org not listed answers code 57 */
  sandboxesByOrg?: Record<string, string[]>;
  /** webhooks of the prod org; 'unauthorized' answers code 57 */
  webhooks?: FakeZohoWebhook[] | 'unauthorized';
  /** X-Rate-Limit-* headers on API answers */
  rateLimitHeaders?: { limit: number; remaining: number; reset: number };
}

export interface FakeZoho {
  /** `http://127.0.0.1:<port>` */
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', ...headers });
  res.end(body);
}

/** Starts the fake on an ephemeral loopback port. */
export async function startFakeZoho(o: FakeZohoOptions = {}): Promise<FakeZoho> {
  const requests: RecordedRequest[] = [];
  const issued = new Set<string>();
  const accessToken = o.accessToken ?? '1000.fa4e0ccess0000000000000000000000.0000000000000000000000000000beef';

  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const u = new URL(req.url ?? '/', 'http://fake');
      requests.push({ method: req.method ?? '', path: u.pathname, query: u.search, headers: req.headers, body });

      if (req.method === 'POST' && u.pathname === '/oauth/v2/token') {
        // Zoho reads the parameters from the query string or the form body.
        const form = new URLSearchParams(body);
        const p = (k: string) => form.get(k) ?? u.searchParams.get(k) ?? '';
        if (o.throttleTokens) return send(res, 200, fixture('token-access-denied.json'));
        if (p('grant_type') !== 'refresh_token') return send(res, 200, JSON.stringify({ error: 'unsupported_grant_type' }));
        if (!o.client || p('client_id') !== o.client.id) return send(res, 200, fixture('token-invalid-client.json'));
        if (p('client_secret') !== o.client.secret) return send(res, 200, JSON.stringify({ error: 'invalid_client_secret' }));
        if (!(o.refreshTokens ?? []).includes(p('refresh_token'))) {
          const err = JSON.parse(fixture('token-invalid-code.json')) as Record<string, unknown>;
          if (o.echoRefreshToken) err['message'] = `refresh token ${p('refresh_token')} was revoked`;
          return send(res, 200, JSON.stringify(err));
        }
        issued.add(accessToken);
        const ok = fixture('token-ok.json')
          .replace('{new_access_token}', accessToken)
          .replace('https://www.zohoapis.com', o.apiDomain ?? 'https://www.zohoapis.com');
        return send(res, 200, ok);
      }

      const m = /^\/(books\/v3|inventory\/v1)\/(organizations|sandboxes|settings\/webhooks)$/.exec(u.pathname);
      if (req.method !== 'GET' || !m) return send(res, 404, JSON.stringify({ code: 5, message: 'Invalid URL Passed' }));
      const auth = req.headers.authorization ?? '';
      const token = /^Zoho-oauthtoken (.+)$/.exec(auth)?.[1];
      if (token === undefined || !issued.has(token)) return send(res, 401, JSON.stringify({ code: 14, message: 'Invalid OAuth token.' }));
      const rl: Record<string, string> = o.rateLimitHeaders
        ? {
            'x-rate-limit-limit': String(o.rateLimitHeaders.limit),
            'x-rate-limit-remaining': String(o.rateLimitHeaders.remaining),
            'x-rate-limit-reset': String(o.rateLimitHeaders.reset),
          }
        : {};
      if (o.rateLimited) {
        const file = { daily: 'rate-limit-daily.json', minute: 'rate-limit-minute.json', concurrency: 'rate-limit-concurrency.json' }[o.rateLimited];
        return send(res, 429, fixture(file), { ...rl, 'retry-after': '60' });
      }
      const what = m[2];
      if (what === 'organizations') {
        const base = JSON.parse(fixture('organizations.json')) as { organizations: Record<string, unknown>[] } & Record<string, unknown>;
        const template = base.organizations[0] ?? {};
        base.organizations = (o.organizations ?? []).map((org) => ({ ...template, organization_id: org.id, name: org.name, is_org_active: org.active ?? true }));
        return send(res, 200, JSON.stringify(base), rl);
      }
      if (what === 'sandboxes') {
        const list = o.sandboxesByOrg !== undefined ? o.sandboxesByOrg[u.searchParams.get('organization_id') ?? ''] : o.sandboxes === 'none' ? undefined : o.sandboxes;
        if (list === undefined) return send(res, 200, fixture('unauthorized.json'), rl);
        return send(res, 200, JSON.stringify({ code: 0, message: 'success', sandboxes: list.map((id, i) => ({ sandbox_id: `9${i}0000`, organization_id: id, name: `Sandbox ${i + 1}` })) }), rl);
      }
      if (o.webhooks === 'unauthorized' || o.webhooks === undefined) return send(res, 200, fixture('unauthorized.json'), rl);
      return send(
        res,
        200,
        JSON.stringify({
          code: 0,
          message: 'success',
          webhooks: o.webhooks.map((w, i) => ({
            webhook_id: `46000000${i}`,
            webhook_name: w.name,
            entity: w.entity ?? 'invoice',
            method: 'POST',
            url: w.url,
            headers: w.headers ?? [],
            secret: w.secret ?? '',
          })),
        }),
        rl,
      );
    })().catch((err: unknown) => send(res, 500, JSON.stringify({ code: 1000, message: String(err) })));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
