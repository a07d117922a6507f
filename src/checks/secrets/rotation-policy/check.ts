import { defineCheck } from '../../../engine/define.js';
import type { Evidence } from '../../../engine/types.js';
import type { RotationPolicyDoc } from '../../../facts/project.js';
import { combine, type Part } from '../../lib/parts.js';
import { prodVault } from '../../lib/vault.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A day of slack: an expiry set at "update + period" lands a few hours past it. */
const SLACK_DAYS = 1;
const MAX_LISTED = 8;

const list = (names: readonly string[]): string => (names.length > MAX_LISTED ? `${names.slice(0, MAX_LISTED).join(', ')}, … (${names.length})` : names.join(', '));

/** The most complete policy: with a period and named secrets first, then the shortest period. */
function best(docs: readonly RotationPolicyDoc[]): RotationPolicyDoc | undefined {
  const score = (d: RotationPolicyDoc) => (d.periodDays !== undefined ? 2 : 0) + (d.secrets.length > 0 ? 1 : 0);
  return [...docs].sort((a, b) => score(b) - score(a) || (a.periodDays ?? Infinity) - (b.periodDays ?? Infinity))[0];
}

/**
 * secrets.rotation-policy — the project documents who rotates which secret how often
 * (recognised by content: a rotation line, a period near it, the secrets named), and the
 * production Key Vault's secrets carry expiry dates within that period, none older than it
 * (https://learn.microsoft.com/azure/key-vault/secrets/tutorial-rotation; expiry is an
 * attribute: https://learn.microsoft.com/azure/key-vault/secrets/about-secrets#secret-attributes).
 * Without the vault inventory that half is unknown, never a pass.
 */
export const check = defineCheck({
  meta: {
    id: 'secrets.rotation-policy',
    section: 'secrets',
    title: 'A secret rotation policy is documented and Key Vault secrets carry expiry dates within it',
    severity: 'medium',
    effort: { size: 'M', hours: [2, 4] },
    remediation: {
      text:
        'Write down who rotates which secret how often (Zoho client secret and refresh token, bot app secret, storage and Cosmos keys) in docs/ or SECURITY.md, ' +
        'and set expiry dates on the Key Vault secrets to match.',
      command: 'az keyvault secret set-attributes --vault-name <prod-vault> --name <secret> --expires <date>',
      url: 'https://learn.microsoft.com/azure/key-vault/secrets/tutorial-rotation',
    },
    runs: 'project docs (recognised by content) + Key Vault secret attributes (expiry, last update)',
  },
  requires: ['project.policies'],
  uses: ['azure.key-vault'],
  evaluate(facts, { now }) {
    const docs = facts.need('project.policies');
    const parts: Part[] = [];
    const evidence: Evidence[] = [];
    const doc = best(docs.rotation);
    if (!doc) {
      const looked = docs.scanned.length > 0 ? `looked in ${list(docs.scanned)}` : 'no documents found at the root or in docs/, runbooks/, ops/, security/';
      parts.push({ status: 'fail', text: `no documented secret rotation policy (${looked})` });
    } else {
      const at = `${doc.path}:${doc.line}`;
      if (doc.periodDays === undefined) parts.push({ status: 'warn', text: `${at} mentions rotating secrets but states no period (e.g. "every 90 days")` });
      else if (doc.secrets.length === 0) parts.push({ status: 'warn', text: `${at} rotates ${doc.periodText ?? `every ${doc.periodDays} days`} but does not say which secrets` });
      else parts.push({ status: 'pass', text: `${at} states a rotation period of ${doc.periodDays} days ("${doc.periodText ?? ''}") for ${list(doc.secrets)}` });
      for (const other of docs.rotation) if (other !== doc) evidence.push({ text: `also: ${other.path}:${other.line}` });
    }

    const period = doc?.periodDays;
    const view = prodVault(facts);
    if (view.status !== 'ok') {
      parts.push(
        view.status === 'no-vault'
          ? { status: 'fail', text: `no prod Key Vault holds the secrets, so no expiry date enforces the policy: ${view.text}`, refs: view.refs }
          : { status: 'unknown', text: `Key Vault expiry attributes not checked: ${view.text}`, refs: view.refs, unverified: view.unverified },
      );
    } else {
      // Certificate-backed secrets follow their certificate's lifetime, not this policy.
      const secrets = view.secrets.filter((s) => s.enabled && s.managed !== true);
      const noExpiry = secrets.filter((s) => s.expiresOn === undefined).map((s) => s.name);
      const ageDays = (iso: string | undefined) => (iso === undefined ? undefined : Math.floor((now.getTime() - Date.parse(iso)) / DAY_MS));
      const stale = period === undefined ? [] : secrets.filter((s) => (ageDays(s.updatedOn) ?? 0) > period + SLACK_DAYS);
      const farExpiry =
        period === undefined
          ? []
          : secrets.filter((s) => s.expiresOn !== undefined && s.updatedOn !== undefined && (Date.parse(s.expiresOn) - Date.parse(s.updatedOn)) / DAY_MS > period + SLACK_DAYS);
      const problems: string[] = [];
      if (noExpiry.length > 0) problems.push(`${noExpiry.length} without an expiry date (${list(noExpiry)})`);
      if (stale.length > 0) problems.push(`${stale.length} not updated for longer than the ${period} days of the policy (${list(stale.map((s) => `${s.name}: ${ageDays(s.updatedOn)} days`))})`);
      if (farExpiry.length > 0) problems.push(`${farExpiry.length} expiring later than ${period} days after their last update (${list(farExpiry.map((s) => s.name))})`);
      if (secrets.length === 0) {
        // a document alone is not a rotation: the vault the secrets should live in holds none of them
        parts.push({ status: 'fail', text: `prod vault ${view.vault} holds no enabled secrets: nothing carries an expiry date, so nothing enforces the policy`, refs: view.refs });
      } else if (problems.length > 0) {
        parts.push({ status: 'warn', text: `prod vault ${view.vault}: of ${secrets.length} secrets, ${problems.join('; ')}`, refs: view.refs });
      } else {
        parts.push({
          status: 'pass',
          text: `all ${secrets.length} secrets in prod vault ${view.vault} carry expiry dates${period !== undefined ? ` within ${period} days of their last update` : ''}`,
          refs: view.refs,
        });
      }
    }
    return combine(parts, evidence);
  },
});
