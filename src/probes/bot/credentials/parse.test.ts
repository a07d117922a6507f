import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEntraToken, parseGraphApplications } from './parse.js';

const FIXTURES = join(import.meta.dirname, '../../../../test/fixtures/bot');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

describe('Entra token response', () => {
  it('documented success: the token apart from the fact', () => {
    expect(parseEntraToken(200, fixture('entra-token-ok.json'), 3)).toEqual({ accessToken: 'eyJhbGciOiJIUzI1Ni...', result: { status: 'ok', seq: 3, expiresIn: 3600 } });
  });
  it.each([
    ['entra-secret-expired.json', 7000222],
    ['entra-secret-invalid.json', 7000215],
  ])('%s → rejected with AADSTS%i', (file, code) => {
    expect(parseEntraToken(401, fixture(file), 3)).toEqual({ result: { status: 'rejected', seq: 3, httpStatus: 401, error: 'invalid_client', aadsts: [code] } });
  });
  it('codes from the description when error_codes is missing', () => {
    const r = parseEntraToken(400, JSON.stringify({ error: 'unauthorized_client', error_description: 'AADSTS700016: Application not found' }), 3);
    expect(r.result).toEqual({ status: 'rejected', seq: 3, httpStatus: 400, error: 'unauthorized_client', aadsts: [700016] });
  });
  it('not JSON → http-error', () => {
    expect(parseEntraToken(502, '<html>bad gateway</html>', 3).result).toEqual({ status: 'http-error', seq: 3, httpStatus: 502, detail: 'HTTP 502, body is not a JSON object' });
  });
});

describe('Graph applications', () => {
  it('documented passwordCredential: dates and ids kept; secretText and hint set apart, never kept', () => {
    const body = fixture('graph-application.json').replace('{appId}', 'app-1');
    const r = parseGraphApplications(200, body, 9, 'azure-identity', '[6gyXA5S20@MN+WRXAJ]I-TO7g1:h2P8');
    expect(r.result).toEqual({
      status: 'ok',
      seq: 9,
      via: 'azure-identity',
      displayName: 'teams-bot-prod',
      passwordCredentials: [
        { keyId: 'f0b0b335-1d71-4883-8f98-567911bfdca6', displayName: 'Password friendly name', startDateTime: '2019-09-09T19:50:29.3086381Z', endDateTime: '2021-09-09T19:50:29.3086381Z', matchesConfigured: true },
      ],
      keyCredentialCount: 0,
    });
    expect(r.secrets).toEqual(['[6gyXA5S20@MN+WRXAJ]I-TO7g1:h2P8', '[6g']);
    expect(JSON.stringify(r.result)).not.toContain('[6g');
  });
  it('without the configured secret, the match is unknown', () => {
    const r = parseGraphApplications(200, fixture('graph-application.json'), 9, 'azure-identity');
    expect(r.result.status === 'ok' && r.result.passwordCredentials[0]?.matchesConfigured).toBeUndefined();
  });
  it('403 Authorization_RequestDenied → forbidden', () => {
    expect(parseGraphApplications(403, fixture('graph-forbidden.json'), 9, 'app-credentials').result).toEqual({ status: 'forbidden', seq: 9, via: 'app-credentials', httpStatus: 403, code: 'Authorization_RequestDenied' });
  });
  it('an empty list → not-found', () => {
    expect(parseGraphApplications(200, '{"value":[]}', 9, 'azure-identity').result).toEqual({ status: 'not-found', seq: 9, via: 'azure-identity' });
  });
  it('the single-object form (/applications(appId=…))', () => {
    const r = parseGraphApplications(200, JSON.stringify({ appId: 'a', passwordCredentials: [{ keyId: 'k', endDateTime: '2030-01-01T00:00:00Z' }], keyCredentials: [{}] }), 9, 'azure-identity');
    expect(r.result).toEqual({ status: 'ok', seq: 9, via: 'azure-identity', passwordCredentials: [{ keyId: 'k', endDateTime: '2030-01-01T00:00:00Z' }], keyCredentialCount: 1 });
  });
});
