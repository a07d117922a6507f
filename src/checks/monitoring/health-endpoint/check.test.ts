import { describe, expect, it } from 'vitest';
import { ORDER_PROCESSING_PROFILE } from '../../../config/profile.js';
import { evaluateCheck, outcomesOf } from '../../../engine/evaluate.js';
import type { ProbeResult } from '../../../engine/types.js';
import type { WebLive } from '../../../facts/web.js';
import { DOMAIN, expectTbdDomainSaidOnce, liveFacts, onProdDomain, response, TBD_DOMAIN_LINE } from '../../../../test/fixtures/nginx/facts.js';
import { check } from './check.js';

const now = new Date('2026-11-26T00:00:00Z');
const run = (live: ProbeResult<WebLive>) => evaluateCheck(check, outcomesOf({ 'web.live': live }), { config: ORDER_PROCESSING_PROFILE, now });
const health = (status: number, headers: Record<string, string> = {}) => ({ ok: true as const, value: liveFacts({ health: response(`https://${DOMAIN}/health`, status, headers, 11) }) });

describe('monitoring.health-endpoint', () => {
  it.each([
    [200, 'pass', '/health answers 200'],
    [302, 'warn', '/health redirects (302) instead of answering'],
    [502, 'fail', '/health answers 502'],
  ] as const)('%s → %s', (status, verdict, summary) => {
    const r = run(health(status, status === 302 ? { Location: '/login' } : {}));
    expect(r.status).toBe(verdict);
    expect(r.summary).toBe(summary);
    expect(r.evidence[1]).toEqual({ text: `GET https://${DOMAIN}/health → ${status}${status === 302 ? ' Location: /login' : ''}`, refs: [11] });
  });

  it('names the assessed domain (dev while prod is TBD)', () => {
    expect(run(health(200)).evidence[0]?.text).toBe(TBD_DOMAIN_LINE);
  });

  it('unreachable health endpoint → fail with the error', () => {
    const r = run({ ok: true, value: liveFacts({ root: response(`https://${DOMAIN}/`, 200, {}), health: `GET https://${DOMAIN}/health: HTTP request timed out after 20000 ms` }) });
    expect(r.status).toBe('fail');
    expect(r.summary).toBe(`health endpoint unreachable: GET https://${DOMAIN}/health: HTTP request timed out after 20000 ms`);
  });

  it('nothing answered over HTTPS (only plain HTTP): unknown with the unreachable endpoint, not a verdict on the health path', () => {
    const live: WebLive = {
      ...liveFacts({ http: response(`http://${DOMAIN}/`, 301, { Location: `https://${DOMAIN}/` }) }),
      https: { ok: false, error: `GET https://${DOMAIN}/: connect ECONNREFUSED`, endpoint: `https://${DOMAIN}/` },
      health: { ok: false, error: `GET https://${DOMAIN}/health: connect ECONNREFUSED`, endpoint: `https://${DOMAIN}/health` },
    };
    const r = run({ ok: true, value: live });
    expect(r.status).toBe('unknown');
    expect(r.unverified.map((u) => u.cause)).toEqual([{ kind: 'unreachable', endpoint: `https://${DOMAIN}/health` }]);
  });

  it('offline → unknown', () => {
    expect(run({ ok: false, reason: 'disabled', detail: 'network probes are off (--offline)' }).status).toBe('unknown');
  });

  it.each([200, 502])('domain.prod TBD: judged on the current domain, said once, status unchanged (health %s)', (status) => {
    expectTbdDomainSaidOnce(run(health(status)), run(onProdDomain(health(status))));
  });
});
