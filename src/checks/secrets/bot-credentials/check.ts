import { defineCheck } from '../../../engine/define.js';
import type { Cause, Evidence, Facts } from '../../../engine/types.js';
import type { BotCredentialsStatus, BotPasswordCredential, BotSkipReason } from '../../../facts/bot.js';
import { sourceText } from '../../lib/zoho.js';
import { combine, type Part } from '../../lib/parts.js';
import { prodVault, secretInVault } from '../../lib/vault.js';
import { unverifiedOf } from '../../lib/failure.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A secret ending sooner than this warns (the issue's threshold; the portal warns at 30 days too). */
export const EXPIRY_WARN_DAYS = 30;

/**
 * What Entra's AADSTS codes mean for a client-credentials request
 * (https://learn.microsoft.com/en-us/azure/developer/java/sdk/troubleshooting-authentication-service-principal).
 */
const AADSTS: Readonly<Record<number, string>> = {
  7000215: 'invalid client secret: the configured value is not a current secret of the app',
  7000222: 'the client secret has expired',
  700016: 'the app id is not registered in that tenant',
  90002: 'the tenant does not exist',
};

const day = (iso: string): string => iso.slice(0, 10);

const PROBE = 'bot.credentials';

/** Why a step was skipped, as a root cause: no secret is "no bot credentials", a TBD id is undecided. */
function skipCause(reason: BotSkipReason, probe: string, service: 'bot' | 'graph' = 'bot'): Cause {
  switch (reason) {
    case 'no-secret':
      return { kind: 'no-credentials', service: 'bot' };
    case 'no-token':
      return { kind: 'no-credentials', service };
    case 'no-app-id':
      return { kind: 'undecided', key: 'bot.prod.appId' };
    case 'no-tenant':
      return { kind: 'undecided', key: 'bot.prod.tenantId' };
    case 'opt-out':
    case 'managed-identity':
      return { kind: 'probe', probe, reason: 'disabled' };
  }
}

function tokenPart(b: BotCredentialsStatus): Part | undefined {
  const t = b.token;
  switch (t.status) {
    case 'ok':
      return { status: 'pass', text: `a client-credentials token request with the app secret succeeded (authority ${b.authority ?? '?'})`, refs: [t.seq] };
    case 'rejected': {
      const meaning = t.aadsts.map((c) => `AADSTS${c}${AADSTS[c] !== undefined ? ` — ${AADSTS[c]}` : ''}`).join(', ');
      return { status: 'fail', text: `Entra refused the app secret: ${t.error}${meaning !== '' ? ` (${meaning})` : ''}`, refs: [t.seq] };
    }
    case 'http-error':
      return { status: 'unknown', text: `the token request failed: ${t.detail}`, refs: [t.seq], unverified: [{ probe: PROBE, cause: { kind: 'probe', probe: PROBE, reason: 'failed' }, detail: `the token request failed: ${t.detail}`, refs: [t.seq] }] };
    case 'unreachable':
      return { status: 'unknown', text: `Entra not reached: ${t.detail}`, unverified: [{ probe: PROBE, cause: { kind: 'unreachable', endpoint: 'Microsoft Entra ID' }, detail: `Entra not reached: ${t.detail}` }] };
    case 'skipped':
      // An operator who opted out accepts that validity is not proven; it is noted, not scored.
      if (t.reason === 'opt-out') return undefined;
      return { status: 'unknown', text: `validity not verified: ${t.detail}`, unverified: [{ probe: PROBE, cause: skipCause(t.reason, PROBE), detail: `validity not verified: ${t.detail}` }] };
  }
}

function daysLeft(c: BotPasswordCredential, now: Date): number | undefined {
  if (c.endDateTime === undefined) return undefined;
  const end = Date.parse(c.endDateTime);
  return Number.isNaN(end) ? undefined : Math.floor((end - now.getTime()) / DAY_MS);
}

function expiryPart(b: BotCredentialsStatus, now: Date): Part {
  const g = b.graph;
  switch (g.status) {
    case 'forbidden':
      return {
        status: 'unknown',
        unverified: [{ probe: PROBE, cause: { kind: 'forbidden', service: 'graph', role: 'Application.Read.All' }, detail: `Graph answered HTTP ${g.httpStatus} reading app ${b.appId}: Application.Read.All is missing`, refs: [g.seq] }],
        text:
          `Graph refused to read the app registration (HTTP ${g.httpStatus}${g.code !== undefined ? ` ${g.code}` : ''}): the ${g.via === 'app-credentials' ? "app's own identity" : 'Azure identity of this run'} lacks Application.Read.All; ` +
          `grant it (admin consent) or read the expiry by hand: az ad app credential list --id ${b.appId} --query "[].endDateTime"`,
        refs: [g.seq],
      };
    case 'not-found':
      return {
        status: 'unknown',
        text: `Graph finds no application with app id ${b.appId} in the token's tenant (is the Azure login in tenant ${b.tenantId}?)`,
        refs: [g.seq],
        unverified: [{ probe: PROBE, cause: { kind: 'probe', probe: PROBE, reason: 'failed' }, detail: `Graph finds no application ${b.appId} in the token's tenant`, refs: [g.seq] }],
      };
    case 'error':
      return {
        status: 'unknown',
        text: `app registration not read: ${g.detail}`,
        ...(g.seq !== undefined ? { refs: [g.seq] } : {}),
        unverified: [{ probe: PROBE, cause: g.httpStatus === undefined ? { kind: 'unreachable', endpoint: 'Microsoft Graph' } : { kind: 'probe', probe: PROBE, reason: 'failed' }, detail: `app registration not read: ${g.detail}` }],
      };
    case 'skipped':
      return { status: 'unknown', text: `secret expiry not read from Graph: ${g.detail}`, unverified: [{ probe: PROBE, cause: skipCause(g.reason, PROBE, 'graph'), detail: `secret expiry not read from Graph: ${g.detail}` }] };
    case 'ok':
      break;
  }
  const refs = [g.seq];
  const all = g.passwordCredentials;
  if (all.length === 0) {
    return g.keyCredentialCount > 0
      ? { status: 'warn', text: `the app registration has no client secrets, only ${g.keyCredentialCount} certificate(s): the configured secret cannot be one of its credentials`, refs }
      : { status: 'fail', text: 'the app registration has no client secret', refs };
  }
  const matchKnown = all.some((c) => c.matchesConfigured !== undefined);
  const matched = all.filter((c) => c.matchesConfigured === true);
  if (matchKnown && matched.length === 0) {
    return { status: 'warn', text: `none of the app's ${all.length} client secret(s) starts like the configured one (Graph hint): the configured value may be stale`, refs };
  }
  // Without the secret's value the one in use is unknown: judge every secret that has not ended.
  const pool = matchKnown ? matched : all.filter((c) => (daysLeft(c, now) ?? 0) >= 0);
  const which = matchKnown ? 'the configured client secret' : `the app's client secret${pool.length === 1 ? '' : 's'} (which one the bot uses is not known to this run)`;
  if (pool.length === 0) {
    const last = [...all].sort((a, c) => (c.endDateTime ?? '').localeCompare(a.endDateTime ?? ''))[0];
    return { status: 'fail', text: `every client secret of the app has expired (latest ended ${last?.endDateTime !== undefined ? day(last.endDateTime) : '?'})`, refs };
  }
  const soonest = [...pool].sort((a, c) => (daysLeft(a, now) ?? Infinity) - (daysLeft(c, now) ?? Infinity))[0];
  const left = soonest ? daysLeft(soonest, now) : undefined;
  const name = soonest?.displayName !== undefined ? ` "${soonest.displayName}"` : '';
  if (soonest === undefined || left === undefined) return { status: 'pass', text: `${which}${name} has no end date`, refs };
  const end = day(soonest.endDateTime ?? '');
  if (left < 0) return { status: 'fail', text: `${which}${name} expired on ${end}`, refs };
  if (left < EXPIRY_WARN_DAYS) return { status: 'warn', text: `${which}${name} expires on ${end}, in ${left} day${left === 1 ? '' : 's'} (under ${EXPIRY_WARN_DAYS})`, refs };
  return { status: 'pass', text: `${which}${name} expires on ${end} (${left} days)`, refs };
}

/** The Azure Bot resource says the bot runs on a managed identity (optional input). */
function azureSaysManagedIdentity(facts: Facts, registration: string): boolean {
  const o = facts.maybe('azure.bot');
  if (!o?.ok) return false;
  const l = registration === 'same' ? o.value.dev : o.value.prod;
  return l.status === 'found' && l.value.msaAppType === 'UserAssignedMSI';
}

/**
 * secrets.bot-credentials — the bot's app secret is in the prod vault (by name), valid (one
 * client-credentials token request; `bot.verifyToken: false` opts out) and not about to expire
 * (Graph passwordCredentials: warn under 30 days, fail when expired). Parts that cannot be
 * verified make the check unknown, never pass. A managed-identity bot has no secret and cannot
 * be exercised from outside Azure: the check says so and asks a person.
 */
export const check = defineCheck({
  meta: {
    id: 'secrets.bot-credentials',
    section: 'secrets',
    title: "The bot's app secret is in the prod vault, valid, and not about to expire",
    severity: 'critical',
    blocker: true,
    effort: { size: 'S', hours: [1, 2] },
    remediation: {
      text: "Create a new client secret for the bot's app registration, store it in the prod Key Vault, and set a reminder 30 days before its end date.",
      command: 'az ad app credential reset --id <bot-app-id> --append --display-name prod --years 1',
      url: 'https://learn.microsoft.com/azure/bot-service/bot-service-manage-settings',
    },
    runs: 'Key Vault secret name; Entra client-credentials token request; Graph application passwordCredentials expiry',
  },
  requires: ['bot.credentials'],
  uses: ['azure.key-vault', 'azure.bot'],
  evaluate(facts, ctx) {
    const b = facts.need('bot.credentials');
    const evidence: Evidence[] = [
      { text: `app id ${b.appId} (registration ${b.registration}), tenant ${b.tenantId}${b.appType !== undefined ? `, ${b.appType}` : ''}` },
      { text: `bot.prod.secret from ${sourceText(b.secretSource)}` },
    ];
    if (b.appType === 'UserAssignedMSI' || azureSaysManagedIdentity(facts, b.registration)) {
      return {
        status: 'manual',
        summary:
          'the bot authenticates with a user-assigned managed identity: it has no app secret, and its tokens can only be obtained inside Azure, so predeploy cannot verify it from here — ' +
          'confirm after deployment that the bot answers in Teams',
        evidence,
      };
    }
    if (b.appId === 'TBD') {
      return {
        status: 'unknown',
        summary: 'the bot app id is TBD (bot.prod.appId, or bot.dev.appId with registration: same): nothing to check',
        evidence,
        unverified: [{ cause: { kind: 'undecided', key: b.registration === 'same' ? 'bot.dev.appId' : 'bot.prod.appId' }, detail: 'the bot app id is TBD' }],
      };
    }
    const parts: Part[] = [secretInVault(prodVault(facts), ctx.config.bot.prod.secret.keyVaultSecret, 'the bot app secret', ctx.now)];
    // Azure's bot resource could say the bot runs on a managed identity (then a person confirms
    // it): without that answer, a working secret is not the whole story.
    const bot = facts.maybe('azure.bot');
    if (!bot?.ok) {
      const u = unverifiedOf('azure.bot', bot);
      parts.push({ status: 'unknown', text: `the Azure Bot resource (its app type) was not read: ${bot ? bot.detail : 'the probe did not run'}`, ...(bot ? { refs: bot.refs } : {}), ...(u ? { unverified: [u] } : {}) });
    }
    const token = tokenPart(b);
    if (token) parts.push(token);
    else evidence.push({ text: 'token request not made: bot.verifyToken is false' });
    parts.push(expiryPart(b, ctx.now));
    return combine(parts, evidence);
  },
});
