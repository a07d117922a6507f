import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseApiEnvelope, parseOrganizations, parseSandboxOrgIds, parseTokenResponse, parseWebhooks, rateLimitSample } from './parse.js';

const FIXTURES = join(import.meta.dirname, '../../../../test/fixtures/zoho');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

describe('Zoho token response', () => {
  it('documented success: the token apart from the fact', () => {
    const r = parseTokenResponse(200, fixture('token-ok.json'), 4);
    expect(r.accessToken).toBe('{new_access_token}');
    expect(r.result).toEqual({ status: 'ok', seq: 4, httpStatus: 200, expiresIn: 3600, apiDomain: 'https://www.zohoapis.com' });
    expect(JSON.stringify(r.result)).not.toContain('new_access_token');
  });

  it.each([
    ['token-invalid-client.json', 'invalid_client'],
    ['token-invalid-code.json', 'invalid_code'],
  ])('HTTP 200 with an error field (%s) is an error, the code named', (file, code) => {
    expect(parseTokenResponse(200, fixture(file), 4)).toEqual({ result: { status: 'error', seq: 4, httpStatus: 200, error: code } });
  });

  it('HTTP 200 "Access Denied" is throttling', () => {
    expect(parseTokenResponse(200, fixture('token-access-denied.json'), 4).result).toMatchObject({ status: 'throttled', httpStatus: 200 });
  });

  it('an error value that is not a code (an echoed token) is never kept', () => {
    const r = parseTokenResponse(200, JSON.stringify({ error: 'refresh token 1000.abc/def revoked!' }), 4);
    expect(r.result).toEqual({ status: 'error', seq: 4, httpStatus: 200, error: 'unrecognised error value' });
  });

  it.each([
    [500, '<html>oops</html>', 'http-error'],
    [429, '', 'throttled'],
    [200, '{"token_type":"Bearer"}', 'http-error'],
  ])('HTTP %i %j → %s', (status, body, want) => {
    expect(parseTokenResponse(status, body, 1).result.status).toBe(want);
  });

  it('an api_domain that is not an origin is dropped', () => {
    const r = parseTokenResponse(200, JSON.stringify({ access_token: 'x', api_domain: 'https://evil.example/path?x=1' }), 1);
    expect(r.result).toEqual({ status: 'ok', seq: 1, httpStatus: 200 });
  });
});

describe('Zoho API answers', () => {
  it('organizations: the documented example', () => {
    const env = parseApiEnvelope(200, fixture('organizations.json'), 5);
    if (!env.ok) throw new Error('not ok');
    expect(parseOrganizations(env.json)).toEqual([{ id: '10234695', name: 'Zillum', active: true, isDefault: false }]);
  });

  it.each([
    ['rate-limit-daily.json', 45],
    ['rate-limit-minute.json', 44],
    ['rate-limit-concurrency.json', 1070],
  ])('HTTP 429 %s → rate-limited with code %i', (file, code) => {
    const env = parseApiEnvelope(429, fixture(file), 5);
    expect(env.ok).toBe(false);
    if (!env.ok) expect(env.call).toMatchObject({ status: 'rate-limited', httpStatus: 429, code });
  });

  it('HTTP 200 with a non-zero code is an error', () => {
    const env = parseApiEnvelope(200, fixture('unauthorized.json'), 5);
    expect(env.ok ? undefined : env.call).toEqual({ status: 'error', seq: 5, httpStatus: 200, code: 57, message: 'You are not authorized to perform this operation' });
  });

  it('HTTP 401 with a non-JSON body', () => {
    const env = parseApiEnvelope(401, 'Unauthorized', 5);
    expect(env.ok ? undefined : env.call).toEqual({ status: 'error', seq: 5, httpStatus: 401, message: 'HTTP 401, body is not a JSON object' });
  });

  it('sandboxes: every organization id field is taken (fields undocumented)', () => {
    expect(parseSandboxOrgIds({ code: 0, sandboxes: [{ sandbox_id: '9', organization_id: '20000001', sandbox_org_id: 30000002, name: 'x' }] })).toEqual(['9', '20000001', '30000002']);
    expect(parseSandboxOrgIds({ code: 0 })).toBeUndefined();
  });

  it('webhooks: scheme and host only; secrets, header values and URL keys set apart', () => {
    const parsed = parseWebhooks({
      code: 0,
      webhooks: [
        {
          webhook_id: 460000000012345,
          webhook_name: 'invoice paid',
          entity: 'invoice',
          method: 'POST',
          url: 'https://orders.example.test/hooks/zoho/q8Fz2LxP0vRk7TnY3mWc9HbJ5sDg1AeU?key=abc123secret',
          headers: [{ key: 'X-Api-Key', value: 'headerSecretValue1' }],
          secret: 'whsec1234567890ab',
        },
      ],
    });
    expect(parsed?.webhooks).toEqual([{ id: '460000000012345', name: 'invoice paid', entity: 'invoice', method: 'POST', url: { scheme: 'https', host: 'orders.example.test', hasQuery: true }, hasSecret: true }]);
    expect(parsed?.secrets.sort()).toEqual(['abc123secret', 'headerSecretValue1', 'q8Fz2LxP0vRk7TnY3mWc9HbJ5sDg1AeU', 'whsec1234567890ab']);
  });
});

describe('rate-limit headers', () => {
  it('observed X-Rate-Limit-* (https://github.com/Weble/ZohoBooksApi/issues/38)', () => {
    expect(rateLimitSample('organizations', 5, 200, { 'x-rate-limit-limit': '7500', 'x-rate-limit-remaining': '6775', 'x-rate-limit-reset': '34881' })).toEqual({
      call: 'organizations',
      seq: 5,
      httpStatus: 200,
      limit: 7500,
      remaining: 6775,
      reset: 34881,
    });
  });
  it('none → undefined, except on a 429', () => {
    expect(rateLimitSample('x', 1, 200, {})).toBeUndefined();
    expect(rateLimitSample('x', 1, 429, { 'retry-after': '60' })).toEqual({ call: 'x', seq: 1, httpStatus: 429, retryAfter: '60' });
  });
});
