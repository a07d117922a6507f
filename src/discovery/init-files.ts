/**
 * The files `predeploy init` writes, as text: a commented `predeploy.yaml` (every value with
 * where it came from; undecided ones `TBD`) and a `predeploy.attest.yaml` template whose items
 * are commented out and hold placeholders (`TBD`, `YYYY-MM-DD`) — a placeholder never counts as a
 * signature: left commented it is no attestation, uncommented unedited it is refused (bad date).
 * Pure: no I/O.
 */
import { describeProvenance, type Provenance } from '../config/provenance.js';
import type { Config } from '../config/schema.js';
import { isTbd, TBD } from '../config/tbd.js';
import { configValue } from './decide.js';
import type { DiscoveredValue, Discovery } from './types.js';

const YAML_WORDS = /^(?:true|false|yes|no|on|off|null|y|n|~)$/i;

/** A YAML scalar: plain when that reads back as the same string, else double-quoted (JSON escapes are YAML's). */
export function yamlString(s: string): string {
  const plain = /^[A-Za-z_/][A-Za-z0-9_.:/@+-]*$/.test(s) && !YAML_WORDS.test(s) && !/:\s|:$/.test(s);
  return plain ? s : JSON.stringify(s);
}

/** Comments are one line, and never end a YAML value early. */
function comment(text: string): string {
  return `# ${text.replace(/[\r\n]+/g, ' ')}`;
}

interface Field {
  path: string;
  /** shown when the value is undecided */
  hint: string;
}

const AZURE_KEYS = ['resourceGroup', 'keyVault', 'storageAccount', 'cosmosAccount', 'vm', 'botName'] as const;

export interface InitInput {
  /** the base the file is written over (the built-in profile) */
  profile: Config;
  discovery: Discovery;
  /** ISO time, for the header */
  now: string;
  root: string;
}

/** `predeploy.yaml` text: discovered values, else the profile's decided ones, else TBD. Where they differ the file says so. */
export function renderInitConfig(input: InitInput): string {
  const found = new Map<string, DiscoveredValue>(input.discovery.values.map((v) => [v.path, v]));
  const L: string[] = [];
  const pick = (path: string): { value: string | string[] | undefined; from: Provenance | undefined } => {
    // What the machine shows is what this file describes; the profile fills what it does not show.
    const d = found.get(path);
    if (d) return { value: d.value, from: d.provenance };
    const base = configValue(input.profile, path);
    if (base !== undefined && !(typeof base === 'string' && isTbd(base))) return { value: base, from: { kind: 'profile' } };
    return { value: undefined, from: undefined };
  };
  const scalar = (indent: string, key: string, f: Field) => {
    const { value, from } = pick(f.path);
    if (typeof value === 'string') L.push(`${indent}${key}: ${yamlString(value)}  ${comment(describeProvenance(from ?? { kind: 'profile' }))}`);
    else L.push(`${indent}${key}: ${TBD}  ${comment(`TBD: ${f.hint}`)}`);
  };

  L.push(comment(`predeploy.yaml — written by \`predeploy init\` at ${input.now} for ${input.root}.`));
  L.push(comment('Every value says where it came from: the built-in profile, or what this machine showed (discovered: …).'));
  L.push(comment('TBD means "not decided yet": predeploy reports it as a gap until you fill it in. Any field of the'));
  L.push(comment('built-in profile can be overridden here (README "Configuration"); unknown keys are refused.'));
  L.push('profile: order-processing');
  L.push('');
  const services = pick('services');
  const list = Array.isArray(services.value) ? services.value : [];
  L.push(`${comment(`services (systemd units): ${describeProvenance(services.from ?? { kind: 'profile' })}`)}`);
  L.push('services:');
  for (const s of list) L.push(`  - ${yamlString(s)}`);
  L.push('');
  L.push('domain:');
  scalar('  ', 'dev', { path: 'domain.dev', hint: 'the development host name' });
  scalar('  ', 'prod', { path: 'domain.prod', hint: 'the production host name (nginx served no single TLS name for the app here)' });
  L.push('');
  L.push('azure:');
  const sub = found.get('azure.subscriptionId');
  if (sub && typeof sub.value === 'string') L.push(`  subscriptionId: ${yamlString(sub.value)}  ${comment(describeProvenance(sub.provenance))}`);
  else L.push(`  ${comment('subscriptionId: not discovered (not an Azure VM, or IMDS did not answer); default: AZURE_SUBSCRIPTION_ID or the Azure CLI login')}`);
  for (const env of ['dev', 'prod'] as const) {
    L.push(`  ${env}:`);
    for (const k of AZURE_KEYS) scalar('    ', k, { path: `azure.${env}.${k}`, hint: `the ${env} ${k === 'vm' ? 'VM' : k} name` });
  }
  L.push('');
  L.push('zoho:');
  for (const env of ['dev', 'prod'] as const) {
    L.push(`  ${env}:`);
    scalar('    ', 'orgId', { path: `zoho.${env}.orgId`, hint: `the Zoho ${env === 'dev' ? 'sandbox' : 'production'} organization id` });
  }
  L.push('');
  L.push('bot:');
  scalar('  ', 'registration', { path: 'bot.registration', hint: 'same or separate Azure Bot registration for dev and prod' });
  for (const env of ['dev', 'prod'] as const) {
    L.push(`  ${env}:`);
    scalar('    ', 'appId', { path: `bot.${env}.appId`, hint: `the ${env} bot's Entra app (client) id` });
    scalar('    ', 'tenantId', { path: `bot.${env}.tenantId`, hint: `the ${env} bot's Entra tenant id` });
  }
  const notes = [...input.discovery.notes, ...input.discovery.conflicts.map((c) => `${c.path}: the built-in profile says ${String(c.configured)}; written: what this machine shows, ${String(c.discovered)}`)];
  if (notes.length > 0) {
    L.push('');
    L.push(comment('What discovery noticed but did not decide:'));
    for (const n of notes) L.push(comment(`- ${n}`));
  }
  return `${L.join('\n')}\n`;
}

/** `predeploy.attest.yaml` template: one commented item per check that takes an attestation. */
export function renderAttestTemplate(items: readonly { id: string; title: string }[], now: string): string {
  const L: string[] = [];
  L.push(comment(`predeploy.attest.yaml — template written by \`predeploy init\` at ${now}.`));
  L.push(comment('What a person confirms that no probe can see. Each item below is a placeholder: it counts only'));
  L.push(comment('once uncommented AND filled in (who, the real date, a link to the proof). TBD and YYYY-MM-DD are'));
  L.push(comment('placeholders, never a signature: an unedited item is refused (the date is not a date).'));
  L.push('attestations:');
  for (const it of items) {
    L.push(comment(`${it.id}: ${it.title}`));
    L.push(`#  - check: ${it.id}`);
    L.push(`#    by: ${TBD}            # who confirms it (name and role, or e-mail)`);
    L.push('#    date: YYYY-MM-DD      # when it was confirmed');
    L.push(`#    evidence: ${TBD}      # a link or ticket holding the proof`);
    L.push('#    expires: YYYY-MM-DD   # optional: when it must be confirmed again');
  }
  return `${L.join('\n')}\n`;
}
