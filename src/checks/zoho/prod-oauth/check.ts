import { dataCenterOfApiDomain } from '../../../config/zoho-dc.js';
import { defineCheck } from '../../../engine/define.js';
import type { Evidence, Unverified } from '../../../engine/types.js';
import { credentialEvidence, tokenRefs, tokenText, tokenUnverified, TOKEN_ERRORS } from '../../lib/zoho.js';

/**
 * zoho.prod-oauth — the production OAuth client refreshes tokens at the accounts server of the
 * configured data centre. Zoho answers OAuth errors with HTTP 200 and an `error` field:
 * `invalid_client` is a client unknown to that data centre (or a wrong client id),
 * `invalid_code` a revoked or wrong refresh token (https://github.com/asciisd/zoho/issues/6).
 */
export const check = defineCheck({
  meta: {
    id: 'zoho.prod-oauth',
    section: 'zoho',
    title: 'The production Zoho OAuth client refreshes tokens in the right data centre',
    severity: 'critical',
    blocker: true,
    effort: { size: 'S', hours: [1, 2] },
    remediation: {
      text:
        'Register the OAuth client (API console, self client) in the data centre of the production org (accounts.zoho.<dc>), set zoho.dataCenter to match, ' +
        'and store the client id and secret in the prod Key Vault. On invalid_code, generate a new refresh token signed in to the production org.',
      url: 'https://www.zoho.com/accounts/protocol/oauth/multi-dc.html',
    },
    runs: 'one token refresh against the configured accounts server (errors arrive as HTTP 200 with an error field)',
  },
  requires: ['zoho.prod'],
  evaluate(facts) {
    const z = facts.need('zoho.prod');
    const t = z.token;
    const refs = tokenRefs(t);
    const evidence: Evidence[] = [
      { text: `data centre ${z.dataCenter}: accounts ${z.accountsUrl}${z.accountsOverridden ? ' (zoho.accountsUrl override)' : ''}`, refs },
      ...credentialEvidence(z),
    ];
    const clause = tokenText(z);
    switch (t.status) {
      case 'ok': {
        const dc = t.apiDomain !== undefined ? dataCenterOfApiDomain(t.apiDomain) : undefined;
        if (dc !== undefined && dc !== z.dataCenter) {
          return {
            status: 'warn',
            summary: `${clause}, but Zoho puts the account in data centre ${dc} while zoho.dataCenter is ${z.dataCenter}: set zoho.dataCenter: ${dc}`,
            evidence: [{ text: clause, refs }, ...evidence],
          };
        }
        return { status: 'pass', summary: `${clause}: the production client works in data centre ${z.dataCenter}`, evidence: [{ text: clause, refs }, ...evidence] };
      }
      case 'error': {
        // invalid_code: the client and data centre were accepted and the refresh token was not;
        // production OAuth still does not work, and secrets.zoho-prod-tokens says why.
        const more = TOKEN_ERRORS.has(t.error) ? ' (client id and data centre accepted; see secrets.zoho-prod-tokens)' : '';
        return { status: 'fail', summary: `${clause}${more}`, evidence: [{ text: clause, refs }, ...evidence] };
      }
      case 'throttled':
      case 'http-error':
      case 'unreachable':
        return { status: 'unknown', summary: clause, evidence: [{ text: clause, refs }, ...evidence], unverified: tokenUnverified(z) ? [tokenUnverified(z) as Unverified] : [] };
    }
  },
});
