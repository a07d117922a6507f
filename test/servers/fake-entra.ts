/**
 * A loopback fake of the Entra token endpoint (`/{tenant}/oauth2/v2.0/token`) and of Microsoft
 * Graph's applications list, answering with the documented bodies (test/fixtures/bot,
 * SOURCES.md there). One origin serves both: tests set `bot.loginUrl` and `bot.graphUrl` to it.
 *
 * Tokens: a client-credentials request with the registered app id and secret gets an access
 * token; an expired secret gets AADSTS7000222, a wrong one AADSTS7000215. Graph answers only a
 * token it issued for the Graph scope or an operator token given in the options, and 403
 * `Authorization_RequestDenied` when the caller lacks Application.Read.All.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { RecordedRequest } from './fake-zoho.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/bot');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');

export interface FakePasswordCredential {
  keyId: string;
  displayName?: string;
  endDateTime: string;
  startDateTime?: string;
  hint: string;
  /** only addPassword returns it; planted here to prove it is never printed */
  secretText?: string | null;
}

export interface FakeEntraOptions {
  tenantId: string;
  app: { id: string; secret: string; displayName?: string };
  /** the secret has expired: token requests get AADSTS7000222 */
  secretExpired?: boolean;
  /** the access token for the Bot Connector scope (a canary in tests) */
  botToken?: string;
  /** the access token for the Graph scope, issued only when the app holds Application.Read.All */
  graphToken?: string;
  /** the app holds the Graph application permission Application.Read.All */
  appCanReadApplications?: boolean;
  /** an operator's Graph token (from `az account get-access-token`) and whether it may read applications */
  operator?: { token: string; canReadApplications: boolean };
  passwordCredentials?: FakePasswordCredential[];
}

export interface FakeEntra {
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

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(body);
}

export async function startFakeEntra(o: FakeEntraOptions): Promise<FakeEntra> {
  const requests: RecordedRequest[] = [];
  const botToken = o.botToken ?? 'eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJodHRwczovL2FwaS5ib3RmcmFtZXdvcmsuY29tIn0.Ym90LXRva2Vu';
  const graphToken = o.graphToken ?? 'eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBoLm1pY3Jvc29mdC5jb20ifQ.Z3JhcGgtdG9rZW4';
  const graphReaders = new Map<string, boolean>();
  if (o.operator) graphReaders.set(o.operator.token, o.operator.canReadApplications);

  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const u = new URL(req.url ?? '/', 'http://fake');
      requests.push({ method: req.method ?? '', path: u.pathname, query: u.search, headers: req.headers, body });

      const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(u.pathname);
      if (req.method === 'POST' && token) {
        const form = new URLSearchParams(body);
        const tenant = decodeURIComponent(token[1] ?? '');
        const withApp = (file: string) => fixture(file).replaceAll('{appId}', form.get('client_id') ?? '');
        if (form.get('grant_type') !== 'client_credentials') return send(res, 400, JSON.stringify({ error: 'unsupported_grant_type', error_codes: [70003] }));
        if (form.get('client_id') !== o.app.id || (tenant !== o.tenantId && tenant !== 'botframework.com')) {
          return send(res, 400, JSON.stringify({ error: 'unauthorized_client', error_description: `AADSTS700016: Application with identifier '${form.get('client_id') ?? ''}' was not found in the directory '${tenant}'.`, error_codes: [700016] }));
        }
        if (o.secretExpired) return send(res, 401, withApp('entra-secret-expired.json'));
        if (form.get('client_secret') !== o.app.secret) return send(res, 401, withApp('entra-secret-invalid.json'));
        const scope = form.get('scope') ?? '';
        const issued = scope.startsWith('https://graph.microsoft.com') ? graphToken : botToken;
        if (issued === graphToken) graphReaders.set(graphToken, o.appCanReadApplications === true);
        return send(res, 200, fixture('entra-token-ok.json').replace('eyJhbGciOiJIUzI1Ni...', issued));
      }

      if (req.method === 'GET' && u.pathname === '/v1.0/applications') {
        const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
        const may = graphReaders.get(bearer);
        if (may === undefined) return send(res, 401, JSON.stringify({ error: { code: 'InvalidAuthenticationToken', message: 'Access token validation failure.' } }));
        if (!may) return send(res, 403, fixture('graph-forbidden.json'));
        const filter = u.searchParams.get('$filter') ?? '';
        const appId = /appId eq '([^']*)'/.exec(filter)?.[1];
        const doc = JSON.parse(fixture('graph-application.json')) as { value: Record<string, unknown>[] } & Record<string, unknown>;
        const template = doc.value[0] ?? {};
        const pcTemplate = (template['passwordCredentials'] as Record<string, unknown>[] | undefined)?.[0] ?? {};
        doc.value =
          appId === o.app.id
            ? [
                {
                  ...template,
                  appId: o.app.id,
                  displayName: o.app.displayName ?? template['displayName'],
                  passwordCredentials: (o.passwordCredentials ?? []).map((pc) => ({ ...pcTemplate, ...pc, secretText: pc.secretText ?? null })),
                },
              ]
            : [];
        return send(res, 200, JSON.stringify(doc));
      }
      return send(res, 404, JSON.stringify({ error: { code: 'Request_ResourceNotFound', message: `no route ${u.pathname}` } }));
    })().catch((err: unknown) => send(res, 500, JSON.stringify({ error: { code: 'InternalError', message: String(err) } })));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
