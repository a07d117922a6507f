/**
 * The production Key Vault's secret inventory (names and attributes, never values) as the
 * Azure probes report it (`azure.key-vault`), for the secrets checks. Without it a check still
 * judges what it can and says which part it could not verify.
 */
import type { Facts, Unverified } from '../../engine/types.js';
import type { KeyVaultSecretMeta } from '../../facts/azure.js';
import { lookupUnverified } from './azure.js';
import { unverifiedOf } from './failure.js';
import type { Part } from './parts.js';

/** The prod vault's secrets, or why they are not known. */
export type VaultView =
  | { status: 'ok'; vault: string; secrets: KeyVaultSecretMeta[]; refs: number[] }
  /** the prod vault itself was not found: a secret cannot be in it */
  | { status: 'no-vault'; text: string; refs: number[] }
  /** not known: `unverified` says why, with its root cause */
  | { status: 'unavailable'; text: string; refs: number[]; unverified: Unverified[] };

/** Reads `azure.key-vault` (an optional input) for the prod environment. */
export function prodVault(facts: Facts): VaultView {
  const o = facts.maybe('azure.key-vault');
  const because = (u: Unverified | undefined): Unverified[] => (u ? [u] : []);
  if (!o) return { status: 'unavailable', text: 'Key Vault inventory not available (the Azure probes did not run)', refs: [], unverified: because(unverifiedOf('azure.key-vault', o)) };
  if (!o.ok) return { status: 'unavailable', text: `Key Vault inventory not available (azure.key-vault ${o.reason}: ${o.detail})`, refs: o.refs, unverified: because(unverifiedOf('azure.key-vault', o)) };
  const prod = o.value.prod;
  switch (prod.status) {
    case 'found': {
      const s = prod.value.secrets;
      if (s.status === 'found') return { status: 'ok', vault: prod.value.name, secrets: s.value, refs: s.refs.length > 0 ? s.refs : prod.refs };
      const why = s.status === 'forbidden' ? `${s.detail} (needs ${s.role})` : s.detail;
      const u = lookupUnverified(s, 'azure.key-vault') ?? { probe: 'azure.key-vault', cause: { kind: 'probe', probe: 'azure.key-vault', reason: 'failed' }, detail: s.detail };
      return { status: 'unavailable', text: `secrets of prod vault ${prod.value.name} not listed: ${why}`, refs: s.refs, unverified: [u] };
    }
    case 'not-found':
      return { status: 'no-vault', text: `the prod Key Vault was not found: ${prod.detail}`, refs: prod.refs };
    case 'tbd':
      return { status: 'unavailable', text: 'the prod Key Vault is TBD (azure.prod.keyVault)', refs: prod.refs, unverified: [{ cause: { kind: 'undecided', key: prod.key ?? 'azure.prod.keyVault' }, detail: prod.detail }] };
    case 'forbidden':
      return { status: 'unavailable', text: `prod Key Vault not readable: ${prod.detail} (needs ${prod.role})`, refs: prod.refs, unverified: because(lookupUnverified(prod, 'azure.key-vault')) };
    case 'error':
      return { status: 'unavailable', text: `prod Key Vault not read: ${prod.detail}`, refs: prod.refs, unverified: because(lookupUnverified(prod, 'azure.key-vault')) };
  }
}

const day = (iso: string): string => iso.slice(0, 10);

/**
 * Whether a secret is in the prod vault by name (Key Vault names are case-insensitive:
 * https://learn.microsoft.com/azure/key-vault/general/about-keys-secrets-certificates#object-identifiers),
 * enabled and not past its expiry.
 */
export function secretInVault(view: VaultView, name: string | undefined, what: string, now: Date): Part {
  if (name === undefined) return { status: 'warn', text: `no Key Vault secret name is configured for ${what}` };
  if (view.status === 'unavailable') return { status: 'unknown', text: `${what} in the prod vault by name (${name}): ${view.text}`, refs: view.refs, unverified: view.unverified };
  if (view.status === 'no-vault') return { status: 'fail', text: `${what} cannot be in the prod vault: ${view.text}`, refs: view.refs };
  const s = view.secrets.find((x) => x.name.toLowerCase() === name.toLowerCase());
  if (!s) return { status: 'fail', text: `secret ${name} is not in prod vault ${view.vault}`, refs: view.refs };
  if (!s.enabled) return { status: 'fail', text: `secret ${name} in ${view.vault} is disabled`, refs: view.refs };
  if (s.expiresOn !== undefined && Date.parse(s.expiresOn) <= now.getTime()) {
    return { status: 'fail', text: `secret ${name} in ${view.vault} expired on ${day(s.expiresOn)}`, refs: view.refs };
  }
  const exp = s.expiresOn !== undefined ? `expires ${day(s.expiresOn)}` : 'no expiry date';
  return { status: 'pass', text: `secret ${name} is in prod vault ${view.vault} (enabled, ${exp})`, refs: view.refs };
}
