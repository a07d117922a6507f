import { isTbd } from '../../../config/tbd.js';
import { defineCheck } from '../../../engine/define.js';
import type { Evidence, Unverified } from '../../../engine/types.js';
import { unverifiedOf } from '../../lib/failure.js';
import type { CredentialRefStatus } from '../../../facts/project.js';
import { callRefs, callText, callUnverified, credentialEvidence, oauthErrorText, sourceText, tokenRefs, tokenText, tokenUnverified, TOKEN_ERRORS } from '../../lib/zoho.js';
import { combine, type Part } from '../../lib/parts.js';
import { prodVault, secretInVault } from '../../lib/vault.js';

const byRef = (refs: readonly CredentialRefStatus[], ref: string) => refs.find((r) => r.ref === ref);

/**
 * secrets.zoho-prod-tokens — the refresh token production uses works and belongs to the
 * production organization. Refresh tokens are environment-specific: a sandbox org's token
 * cannot reach the production org (https://www.zoho.com/assist/api/refresh-access-token.html).
 * Parts: production does not resolve the very same refresh token as dev (fingerprints); the
 * one refresh of the run works; the token sees the production org. A Key Vault inventory that
 * lacks the configured secret name fails the check; without an inventory that part is only
 * noted (the live refresh is the proof this check is about).
 */
export const check = defineCheck({
  meta: {
    id: 'secrets.zoho-prod-tokens',
    section: 'secrets',
    title: 'The Zoho refresh token in production belongs to the production organization and works',
    severity: 'critical',
    blocker: true,
    effort: { size: 'M', hours: [1, 3] },
    remediation: {
      text:
        'Generate a refresh token while signed in to the production org (self client, the scopes the services need), store it in the prod Key Vault, ' +
        'and remove the sandbox token from production.',
      url: 'https://www.zoho.com/accounts/protocol/oauth/self-client/overview.html',
    },
    runs: 'one Zoho token refresh (POST accounts /oauth/v2/token) + organizations list; token redacted',
  },
  requires: ['project.credentials'],
  uses: ['zoho.prod', 'azure.key-vault'],
  evaluate(facts, ctx) {
    const creds = facts.need('project.credentials');
    const parts: Part[] = [];
    const evidence: Evidence[] = [];
    const credRefs = facts.refs('project.credentials');

    const prodTok = byRef(creds.refs, 'zoho.prod.refreshToken');
    const devTok = byRef(creds.refs, 'zoho.dev.refreshToken');
    if (prodTok?.fingerprint !== undefined && prodTok.fingerprint === devTok?.fingerprint) {
      parts.push({
        status: 'fail',
        text: `production resolves the same refresh token as dev/sandbox (fingerprint ${prodTok.fingerprint}: prod from ${sourceText(prodTok.source)}, dev from ${sourceText(devTok.source)})`,
        refs: credRefs,
      });
    }

    const name = ctx.config.zoho.prod.refreshToken.keyVaultSecret;
    const vault = secretInVault(prodVault(facts), name, 'the Zoho refresh token', ctx.now);
    // The vault part decides when it fails or could not be read (a readable vault could fail
    // it); a missing secret name is a warning for the context only.
    if (vault.status === 'fail' || vault.status === 'unknown') parts.push(vault);
    else evidence.push({ text: `${vault.status === 'pass' ? '' : 'not verified: '}${vault.text}`, ...(vault.refs ? { refs: vault.refs } : {}) });

    const live = facts.maybe('zoho.prod');
    if (!live) {
      parts.push({ status: 'unknown', text: 'the Zoho probe did not run', unverified: [unverifiedOf('zoho.prod', live) as Unverified] });
    } else if (!live.ok) {
      parts.push({ status: 'unknown', text: `not tried: ${live.detail}`, refs: live.refs, unverified: [unverifiedOf('zoho.prod', live) as Unverified] });
    } else {
      const z = live.value;
      evidence.push(...credentialEvidence(z));
      const t = z.token;
      const clause = tokenText(z);
      if (t.status === 'error') {
        parts.push(
          TOKEN_ERRORS.has(t.error)
            ? { status: 'fail', text: `the production refresh token does not work: ${oauthErrorText(t.error)}`, refs: tokenRefs(t) }
            : { status: 'unknown', text: `the refresh token could not be tried: ${clause} (see zoho.prod-oauth)`, refs: tokenRefs(t), unverified: [{ probe: 'zoho.prod', cause: { kind: 'probe', probe: 'zoho.prod', reason: 'failed' }, detail: clause }] },
        );
      } else if (t.status !== 'ok') {
        const u = tokenUnverified(z);
        parts.push({ status: 'unknown', text: clause, refs: tokenRefs(t), ...(u ? { unverified: [u] } : {}) });
      } else {
        const orgs = z.organizations;
        if (orgs.status !== 'ok') {
          const u = callUnverified('organizations', orgs, z);
          parts.push({ status: 'unknown', text: `the token works, but ${callText('organizations', orgs)}`, refs: [...tokenRefs(t), ...callRefs(orgs)], ...(u ? { unverified: [u] } : {}) });
        } else {
          const seen = orgs.value.map((o) => `${o.name || '(no name)'} (${o.id})`).join(', ') || 'none';
          const refs = [...tokenRefs(t), ...callRefs(orgs)];
          if (isTbd(z.orgId)) {
            parts.push({ status: 'unknown', text: `the token works, but zoho.prod.orgId is TBD so its org cannot be judged (it sees: ${seen})`, refs, unverified: [{ cause: { kind: 'undecided', key: 'zoho.prod.orgId' }, detail: 'zoho.prod.orgId is TBD' }] });
          } else {
            const prod = orgs.value.find((o) => o.id === z.orgId);
            const dev = ctx.config.zoho.dev.orgId;
            const parent = (z.sandboxesOf ?? []).find((p) => p.call.status === 'ok' && p.call.value.includes(z.orgId));
            const sandboxOf = (z.sandboxes.status === 'ok' && z.sandboxes.value.includes(z.orgId)) || parent !== undefined;
            if (!prod) {
              parts.push({ status: 'fail', text: `the refresh token works but does not see production org ${z.orgId}: it belongs to another org or environment (it sees: ${seen})`, refs });
            } else if (z.orgId === dev || sandboxOf) {
              // The token reaches the org configured as production, but that org is the sandbox.
              const why = z.orgId === dev ? 'zoho.prod.orgId is the dev/sandbox org id' : parent !== undefined ? `it is a sandbox of org ${parent.orgId} (GET /sandboxes of that org)` : 'the org is in the sandbox list (GET /sandboxes)';
              parts.push({ status: 'fail', text: `the refresh token works, but the org it serves as production (${prod.id}) is a sandbox: ${why}`, refs: [...refs, ...callRefs(z.sandboxes)] });
            } else {
              parts.push({ status: 'pass', text: `the production refresh token works and sees production org ${prod.name || '(no name)'} (${prod.id})`, refs });
            }
          }
        }
      }
    }
    return combine(parts, evidence);
  },
});
