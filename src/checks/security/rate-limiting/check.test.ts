import { describe, expect, it } from 'vitest';
import { ORDER_PROCESSING_PROFILE } from '../../../config/profile.js';
import { evaluateCheck, outcomesOf } from '../../../engine/evaluate.js';
import type { ProbeResult } from '../../../engine/types.js';
import type { NginxConfig } from '../../../facts/web.js';
import { DOMAIN, expectTbdDomainSaidOnce, nginxFacts, onProdDomain } from '../../../../test/fixtures/nginx/facts.js';
import { check } from './check.js';

const now = new Date('2026-11-26T00:00:00Z');
const run = (nginx: ProbeResult<NginxConfig>) => evaluateCheck(check, outcomesOf({ 'host.nginx': nginx }), { config: ORDER_PROCESSING_PROFILE, now });
const texts = (r: ReturnType<typeof run>) => r.evidence.map((e) => e.text);
const site = (http: string, server: string) => nginxFacts(`http { ${http} server { listen 443 ssl; server_name ${DOMAIN}; ${server} } }`);

describe('security.rate-limiting', () => {
  it('vm-hardened.txt → pass: limit_req in both API locations, limit_conn inherited, body size 10m', () => {
    const r = run(nginxFacts('vm-hardened.txt'));
    expect(r.status).toBe('pass');
    expect(r.summary).toBe('limit_req and limit_conn in force in location /api/, location /api/messages');
    expect(texts(r)).toEqual(
      expect.arrayContaining([
        '/etc/nginx/sites-enabled/workflow:2 limit_req_zone $binary_remote_addr zone=api:10m rate=10r/s',
        '/etc/nginx/sites-enabled/workflow:27 limit_req zone=api burst=20 nodelay (location /api/)',
        '/etc/nginx/sites-enabled/workflow:23 limit_conn perip 20',
        '/etc/nginx/sites-enabled/workflow:22 client_max_body_size 10m',
      ]),
    );
  });

  it('vm-misconfigured.txt → fail: limit_req_zone defined but no limit_req in the API locations', () => {
    const r = run(nginxFacts('vm-misconfigured.txt'));
    expect(r.status).toBe('fail');
    expect(texts(r)).toEqual(
      expect.arrayContaining([
        'limit_req_zone defined but no limit_req in location /api/ (/etc/nginx/sites-enabled/workflow:13)',
        'limit_req_zone defined but no limit_req in location /api/messages (/etc/nginx/sites-enabled/workflow:20)',
        'no limit_conn_zone defined: connections per client are not limited',
        'client_max_body_size not set (nginx default 1m)',
      ]),
    );
    expect(r.summary).toBe('no limit_req in location /api/, location /api/messages; no limit_conn');
  });

  it('no zones at all → fail', () => {
    const r = run(site('', 'location /api/ { proxy_pass http://127.0.0.1:3000; }'));
    expect(r.status).toBe('fail');
    expect(r.summary).toBe('no limit_req_zone defined: no request is rate-limited; no limit_conn');
  });

  it('a location with its own limit_req does not inherit; one without inherits the server\'s', () => {
    const r = run(
      site(
        'limit_req_zone $binary_remote_addr zone=api:10m rate=5r/s; limit_conn_zone $binary_remote_addr zone=c:1m;',
        'limit_req zone=api; limit_conn c 10; location /api/ { } location /api/upload { limit_conn c 2; }',
      ),
    );
    expect(r.status).toBe('pass');
  });

  it('limit_req_dry_run on → warn; client_max_body_size 0 → warn', () => {
    const r = run(
      site(
        'limit_req_zone $binary_remote_addr zone=api:10m rate=5r/s; limit_conn_zone $binary_remote_addr zone=c:1m;',
        'limit_conn c 10; location /api/ { limit_req zone=api; limit_req_dry_run on; client_max_body_size 0; }',
      ),
    );
    expect(r.status).toBe('warn');
    expect(r.summary).toBe('limit_req_dry_run on in location /api/; client_max_body_size 0 in location /api/');
  });

  it('no /api path: the proxied locations are the API', () => {
    const r = run(site('limit_req_zone $binary_remote_addr zone=api:10m rate=5r/s;', 'location /static/ { } location / { proxy_pass http://127.0.0.1:3000; }'));
    expect(texts(r)).toContain('limit_req_zone defined but no limit_req in location / (/etc/nginx/nginx.conf:1)');
  });

  it('nginx -T failed → unknown with the reason', () => {
    const r = run({ ok: false, reason: 'permission', detail: 'sudo: a password is required' });
    expect(r.status).toBe('unknown');
    expect(r.summary).toBe('could not verify: probe host.nginx permission denied: sudo: a password is required');
  });

  it.each(['vm-hardened.txt', 'vm-misconfigured.txt'])('domain.prod TBD: judged on the current domain, said once, status unchanged (%s)', (dump) => {
    expectTbdDomainSaidOnce(run(nginxFacts(dump)), run(onProdDomain(nginxFacts(dump))));
  });
});
