import { describe, expect, it } from 'vitest';
import { checkHttp, redactUrl } from '../../src/safety/http-policy.js';

const ZOHO = 'https://accounts.zoho.eu/oauth/v2/token';
const ENTRA = 'https://login.microsoftonline.com/tenant-id/oauth2/v2.0/token';

describe('checkHttp', () => {
  it.each([
    ['GET', 'https://management.azure.com/subscriptions?api-version=2022-12-01', undefined],
    ['HEAD', 'http://127.0.0.1:8080/health', undefined],
    ['get', 'https://example.test/', undefined],
    ['POST', ZOHO, 'refresh_token=r&client_id=c&client_secret=s&grant_type=refresh_token'],
    ['POST', `${ZOHO}?refresh_token=r&grant_type=refresh_token`, undefined],
    ['POST', ENTRA, 'client_id=c&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default&client_secret=s&grant_type=client_credentials'],
    ['POST', 'https://login.microsoftonline.com/tenant-id/oauth2/token', 'grant_type=client_credentials&resource=x'],
  ] as const)('allows %s %s', (method, url, body) => {
    expect(checkHttp({ method, url, ...(body !== undefined ? { body } : {}) })).toEqual({ allowed: true });
  });

  it.each([
    ['PUT', 'https://management.azure.com/x', undefined, /method PUT is not allowed/],
    ['DELETE', 'https://management.azure.com/x', undefined, /method DELETE/],
    ['PATCH', 'https://management.azure.com/x', undefined, /method PATCH/],
    ['POST', 'https://management.azure.com/x/listKeys?api-version=1', undefined, /only to OAuth token endpoints/],
    ['POST', 'https://www.zohoapis.eu/books/v3/invoices', '{}', /only to OAuth token endpoints/],
    ['POST', ZOHO, 'grant_type=authorization_code&code=x', /grant_type authorization_code is not allowed/],
    ['POST', ZOHO, 'client_id=x', /no grant_type/],
    ['POST', ZOHO, 'grant_type=client_credentials', /must use refresh_token/],
    ['POST', `${ZOHO}?grant_type=refresh_token`, 'grant_type=authorization_code', /authorization_code/],
    ['POST', `${ZOHO}/revoke?token=x`, undefined, /only to OAuth token endpoints/],
    ['POST', ENTRA, 'grant_type=refresh_token&refresh_token=x', /must use client_credentials/],
    ['POST', ENTRA, 'grant_type=password&username=a&password=b', /grant_type password/],
    ['GET', 'ftp://example.test/file', undefined, /scheme ftp: is not allowed/],
    ['GET', 'file:///etc/shadow', undefined, /scheme file:/],
    ['GET', 'not a url', undefined, /not a valid absolute URL/],
    ['GET', 'https://example.test/', 'x=1', /must not carry a body/],
  ] as const)('refuses %s %s', (method, url, body, reason) => {
    const v = checkHttp({ method, url, ...(body !== undefined ? { body } : {}) });
    expect(v.allowed).toBe(false);
    if (!v.allowed) expect(v.reason).toMatch(reason);
  });

  it('does not put secrets from the URL into the reason', () => {
    const v = checkHttp({ method: 'PUT', url: 'https://u:pw-123456@x.test/a?code=abcdef' });
    expect(v.allowed ? '' : v.reason).not.toMatch(/pw-123456|abcdef/);
  });
});

describe('redactUrl', () => {
  it.each([
    ['https://management.azure.com/subscriptions/s/providers?api-version=2022-12-01', 'https://management.azure.com/subscriptions/s/providers?api-version=2022-12-01'],
    ['https://graph.microsoft.com/v1.0/applications?$select=id,appId&$filter=appId%20eq%20%27x%27&$top=5', 'https://graph.microsoft.com/v1.0/applications?$select=id,appId&$filter=appId%20eq%20%27x%27&$top=5'],
    ['https://x/a?%24skipToken=abc&code=secret', 'https://x/a?%24skipToken=abc&code=[REDACTED]'],
    ['https://www.zohoapis.eu/books/v3/items?organization_id=123&authtoken=abc', 'https://www.zohoapis.eu/books/v3/items?organization_id=123&authtoken=[REDACTED]'],
    ['https://api.loganalytics.io/v1/workspaces/w/query?timespan=P1D&query=x', 'https://api.loganalytics.io/v1/workspaces/w/query?timespan=P1D&query=[REDACTED]'],
    ['https://x.blob.core.windows.net/c/b?sv=2022&sig=abc%2B', 'https://x.blob.core.windows.net/c/b?sv=[REDACTED]&sig=[REDACTED]'],
    ['https://admin:hunter2@db.example:8443/path', 'https://admin:[REDACTED]@db.example:8443/path'],
    ['https://admin@db.example/path', 'https://admin@db.example/path'],
    ['https://app.example/cb#access_token=abc', 'https://app.example/cb#[REDACTED]'],
    ['http://[::1]:8080/health', 'http://[::1]:8080/health'],
    ['not a url?token=abc', 'not a url?[REDACTED]'],
  ])('%s', (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });
});
