import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { NginxConfig, NginxServer } from '../../../facts/web.js';
import { parseNginxDump } from './parse.js';

const DOMAIN = { name: 'processing.pippaoflondon.co.uk', source: 'dev' as const };
const dump = (file: string): string => readFileSync(new URL(`../../../../test/fixtures/nginx/dumps/${file}`, import.meta.url), 'utf8');

function parsed(text: string, paths: string[] = ['/', '/health']): NginxConfig {
  const r = parseNginxDump(text, { domain: DOMAIN, paths });
  if (!r.ok) throw new Error(r.detail);
  return r.value;
}

/** A config as `nginx -T` would print a single file. */
const single = (conf: string): string => `# configuration file /etc/nginx/nginx.conf:\n${conf}\n`;
const headerNames = (h: { header: string }[]) => h.map((x) => x.header);

function httpsServer(c: NginxConfig): NginxServer {
  const m = c.domain.https[0];
  const s = m ? c.servers[m.server] : undefined;
  if (!s) throw new Error('no https server for the domain');
  return s;
}

describe('parseNginxDump: vm-misconfigured.txt (Debian stock nginx.conf + a hand-made, certbot-edited site)', () => {
  const c = parsed(dump('vm-misconfigured.txt'));

  it('lists the dumped files in order and resolves the includes', () => {
    expect(c.files).toEqual(['/etc/nginx/nginx.conf', '/etc/nginx/mime.types', '/etc/nginx/sites-enabled/default', '/etc/nginx/sites-enabled/workflow']);
    expect(c.servers.map((s) => s.at)).toEqual(['/etc/nginx/sites-enabled/default:21', '/etc/nginx/sites-enabled/workflow:5', '/etc/nginx/sites-enabled/workflow:33']);
    expect(c.notes).toEqual([]);
  });

  it('the HTTPS server inherits ssl_protocols from the stock nginx.conf, with its file and line', () => {
    const s = httpsServer(c);
    expect(s.sslProtocols).toMatchObject({ at: '/etc/nginx/nginx.conf:33', text: 'ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3' });
    expect(s.sslCiphers).toBeUndefined();
    expect(s.sslCertificates.map((d) => d.args[0])).toEqual(['/etc/letsencrypt/live/processing.pippaoflondon.co.uk/fullchain.pem']);
    expect(s.listen).toMatchObject([{ port: 443, ssl: true, text: 'listen 443 ssl' }]);
  });

  it('models the location inheritance trap: /api/ has its own add_header and drops the server-level ones', () => {
    const s = httpsServer(c);
    expect(headerNames(s.effective.headers)).toEqual(['Strict-Transport-Security', 'X-Content-Type-Options', 'Referrer-Policy', 'Content-Security-Policy']);
    const api = s.locations.find((l) => l.path === '/api/');
    expect(api?.at).toBe('/etc/nginx/sites-enabled/workflow:13');
    expect(api?.effective.headersFrom).toBe('location /api/');
    expect(headerNames(api?.effective.headers ?? [])).toEqual(['X-Frame-Options']);
    expect(headerNames(api?.effective.droppedHeaders ?? [])).toEqual(['Strict-Transport-Security', 'X-Content-Type-Options', 'Referrer-Policy', 'Content-Security-Policy']);
    const messages = s.locations.find((l) => l.path === '/api/messages');
    expect(messages?.effective.headersFrom).toBe('server');
    expect(s.effective.headers[0]).toMatchObject({ header: 'Strict-Transport-Security', value: 'max-age=3600', always: false, at: '/etc/nginx/sites-enabled/workflow:8' });
  });

  it('limit_req_zone is defined at http level but no location applies limit_req; server_tokens is not set', () => {
    expect(c.http.limitReqZones).toMatchObject([{ zone: 'api', size: '10m', rate: '10r/s', key: '$binary_remote_addr', at: '/etc/nginx/sites-enabled/workflow:3' }]);
    expect(c.http.limitConnZones).toEqual([]);
    const s = httpsServer(c);
    expect(s.locations.flatMap((l) => l.effective.limitReq)).toEqual([]);
    expect(s.effective.serverTokens).toBeUndefined();
    expect(s.locations.map((l) => l.upstream)).toEqual(['http://127.0.0.1:3000', 'http://127.0.0.1:3978', 'http://127.0.0.1:3000']);
  });

  it('picks the servers nginx would pick for the domain, and reads certbot\'s `if ($host = …) { return 301 … }` redirect', () => {
    expect(c.domain).toMatchObject({ name: 'processing.pippaoflondon.co.uk', source: 'dev' });
    expect(c.domain.https).toEqual([{ server: 1, port: 443, ssl: true, matchedBy: 'exact', routes: [{ path: '/', location: 2 }, { path: '/health', location: 2 }] }]);
    const http = c.domain.http[0];
    expect(http).toMatchObject({ server: 2, port: 80, matchedBy: 'exact' });
    expect(http?.redirect).toMatchObject({ code: 301, target: 'https://$host$request_uri', https: true, condition: '$host = processing.pippaoflondon.co.uk', at: '/etc/nginx/sites-enabled/workflow:35' });
    expect(http?.stop).toBeUndefined();
  });
});

describe('parseNginxDump: vm-hardened.txt (certbot options-ssl-nginx.conf, a headers snippet, limits)', () => {
  const c = parsed(dump('vm-hardened.txt'));
  const s = httpsServer(c);

  it('resolves an absolute and a relative include (relative to the nginx.conf directory)', () => {
    expect(c.files).toContain('/etc/letsencrypt/options-ssl-nginx.conf');
    expect(c.files).toContain('/etc/nginx/snippets/security-headers.conf');
    expect(s.sslProtocols).toMatchObject({ at: '/etc/letsencrypt/options-ssl-nginx.conf:11', text: 'ssl_protocols TLSv1.2 TLSv1.3' });
    expect(s.sslCiphers?.args[0]).toMatch(/^ECDHE-ECDSA-AES128-GCM-SHA256:/);
    expect(s.effective.headers.map((h) => h.at)).toEqual([3, 4, 5, 6, 7].map((n) => `/etc/nginx/snippets/security-headers.conf:${n}`));
    expect(s.effective.headers.every((h) => h.always)).toBe(true);
  });

  it('every location inherits the headers and limit_conn; the API locations apply limit_req', () => {
    for (const l of s.locations) {
      expect(l.effective.headersFrom).toBe('server');
      expect(l.effective.limitConn.map((x) => x.text)).toEqual(['limit_conn perip 20']);
    }
    expect(s.locations.filter((l) => l.effective.limitReq.length > 0).map((l) => l.path)).toEqual(['/api/', '/api/messages']);
    expect(s.effective.serverTokens?.text).toBe('server_tokens off');
    expect(s.effective.clientMaxBodySize?.text).toBe('client_max_body_size 10m');
  });

  it('routes `/` to `location /` and `/health` to `location = /health`; port 80 redirects unconditionally', () => {
    expect(c.domain.https[0]?.routes).toEqual([{ path: '/', location: 3 }, { path: '/health', location: 2 }]);
    expect(c.domain.http[0]?.redirect).toMatchObject({ code: 301, https: true, at: '/etc/nginx/sites-enabled/workflow:9' });
    expect(c.domain.http[0]?.redirect?.condition).toBeUndefined();
  });
});

describe('parseNginxDump: tricky-syntax.txt (quotes, escapes, comments, a fake marker, a regex server_name)', () => {
  const c = parsed(dump('tricky-syntax.txt'));

  it('a `# configuration file` comment inside a file is content, not a new file', () => {
    expect(c.files).toEqual(['/srv/tricky/nginx.conf', '/srv/tricky/conf.d/regex.conf']);
    expect(c.servers.find((s) => s.file === '/srv/tricky/nginx.conf')?.line).toBe(6);
  });

  it('quoted and escaped arguments, `#` inside a word, `${var}`, a quoted regex location', () => {
    const s = c.servers.find((x) => x.file === '/srv/tricky/nginx.conf');
    expect(s?.serverNames).toEqual(['quoted name', 'single', 'esc"aped']);
    expect(s?.ownHeaders.map((h) => [h.header, h.value, h.always])).toEqual([
      ['X-Note', 'a "quoted" value; with {braces} and # hash', true],
      ['X-Hash', 'a#b', false],
    ]);
    expect(s?.locations[0]).toMatchObject({ modifier: '~*', uri: '^/api/(v[0-9]{1,2})/', line: 12 });
  });

  it('no server names the domain: on each port nginx falls back to the default_server, else the first', () => {
    expect(c.domain.https).toEqual([]);
    expect(c.domain.http.map((m) => [m.port, m.matchedBy])).toEqual([
      [18080, 'first'],
      [18081, 'default_server'],
    ]);
    expect(c.domain.http[1]?.stop?.text).toBe('return 444');
  });
});

describe('parseNginxDump: inheritance and routing rules (small configs)', () => {
  it('nested locations inherit from the enclosing location; `add_header_inherit merge` appends', () => {
    const c = parsed(
      single(`http {
  add_header X-A a;
  server {
    listen 443 ssl;
    server_name processing.pippaoflondon.co.uk;
    location /outer/ {
      add_header X-B b;
      location /outer/inner/ { client_max_body_size 0; }
    }
    location /merged/ {
      add_header_inherit merge;
      add_header X-C c;
    }
  }
}`),
    );
    const s = httpsServer(c);
    expect(s.effective.headersFrom).toBe('http');
    const [outer, inner, merged] = s.locations;
    expect(headerNames(outer?.effective.droppedHeaders ?? [])).toEqual(['X-A']);
    expect(inner?.parent).toBe(0);
    expect(inner?.effective.headersFrom).toBe('location /outer/');
    expect(headerNames(inner?.effective.headers ?? [])).toEqual(['X-B']);
    expect(inner?.effective.clientMaxBodySize?.text).toBe('client_max_body_size 0');
    expect(headerNames(merged?.effective.headers ?? [])).toEqual(['X-A', 'X-C']);
    expect(merged?.effective.droppedHeaders).toEqual([]);
  });

  it('limit_req and limit_conn: a location with its own list does not inherit the server\'s', () => {
    const c = parsed(
      single(`http {
  limit_req_zone $binary_remote_addr zone=one:10m rate=1r/s;
  limit_req_zone $binary_remote_addr zone=two:10m rate=5r/s;
  server {
    listen 443 ssl;
    server_name processing.pippaoflondon.co.uk;
    limit_req zone=one;
    location /api/ { limit_req zone=two burst=5; }
    location / { }
  }
}`),
    );
    const s = httpsServer(c);
    expect(s.locations.map((l) => l.effective.limitReq.map((x) => x.zone))).toEqual([['two'], ['one']]);
  });

  it('location selection: `=` beats prefixes, `^~` stops regexes, the first regex beats the longest plain prefix', () => {
    const c = parsed(
      single(`http {
  server {
    listen 443 ssl;
    server_name processing.pippaoflondon.co.uk;
    location / { }
    location = /health { }
    location ^~ /static/ { }
    location ~ \\.json$ { }
    location /api/ { }
  }
}`),
      ['/', '/health', '/static/a.json', '/api/x.json', '/api/x', '/healthz'],
    );
    expect(c.domain.https[0]?.routes.map((r) => r.location)).toEqual([0, 1, 2, 3, 4, 0]);
  });

  it('server selection: exact name, then `*.` wildcard, then regex, then default_server; no listen means *:80', () => {
    const c = parsed(
      single(`http {
  server { server_name ~^processing\\.; }
  server { server_name *.pippaoflondon.co.uk; }
  server { listen 80 default_server; server_name _; }
  server { listen 443 ssl default_server; server_name _; }
  server { listen 443 ssl; server_name ~^processing\\.; }
}`),
    );
    expect(c.domain.http.map((m) => [m.port, m.server, m.matchedBy])).toEqual([[80, 1, 'wildcard']]);
    expect(c.domain.https.map((m) => [m.port, m.server, m.matchedBy])).toEqual([[443, 4, 'regex']]);
  });

  it('a scheme-conditional redirect in a server listening on 80 and 443, and `rewrite … permanent`', () => {
    const c = parsed(
      single(`http {
  server {
    listen 80;
    listen 443 ssl;
    server_name processing.pippaoflondon.co.uk;
    if ($scheme != "https") { rewrite ^ https://$host$request_uri permanent; }
  }
}`),
    );
    expect(c.domain.http[0]?.redirect).toMatchObject({ name: 'rewrite', code: 301, https: true, condition: '$scheme != https' });
    expect(c.domain.https[0]?.server).toBe(0);
  });

  it('a redirect to http:// is a redirect that does not reach HTTPS', () => {
    const c = parsed(single('http { server { listen 80; server_name processing.pippaoflondon.co.uk; location / { return 302 http://$host:8080$request_uri; } } }'));
    expect(c.domain.http[0]?.redirect).toMatchObject({ code: 302, https: false, target: 'http://$host:8080$request_uri' });
  });

  it('input that is not nginx -T output fails with the reason', () => {
    expect(parseNginxDump('nginx: configuration file /etc/nginx/nginx.conf test is successful\n', { domain: DOMAIN, paths: ['/'] })).toMatchObject({
      ok: false,
      reason: 'failed',
      detail: expect.stringContaining('no "# configuration file" marker'),
    });
    expect(parseNginxDump(single('http { server { listen 80; }'), { domain: DOMAIN, paths: ['/'] })).toMatchObject({
      ok: false,
      detail: expect.stringContaining('/etc/nginx/nginx.conf'),
    });
    expect(parseNginxDump(single('events { }'), { domain: DOMAIN, paths: ['/'] })).toMatchObject({ ok: false, detail: expect.stringContaining('no http block') });
  });
});
