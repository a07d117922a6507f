/**
 * Pure helpers for the checks that read Azure facts: how a lookup that did not find anything
 * reads as a finding. A `TBD` name or a 404 is a gap (fail); a 403, a timeout or throttling is
 * `unknown` with the reason (and the role to assign) — never a pass and never "not found".
 */
import type { Config } from '../../config/schema.js';
import { isTbd } from '../../config/tbd.js';
import { lookupCause } from '../../engine/azure-causes.js';
import type { Cause, Evidence, Finding, Unverified } from '../../engine/types.js';
import type { AzureMonitorFact, Lookup, MonitorListingGap } from '../../facts/azure.js';
import type { FactId } from '../../facts/index.js';
import { CONCERN_LABEL, coverage, type Concern, type CoverageContext } from './alert-coverage.js';

/** A lookup that did not find anything. */
export type Missing = Exclude<Lookup<unknown>, { status: 'found' }>;

/**
 * What a lookup that could not look leaves unverified, with its root cause (403 → the role,
 * 429 → throttled, timeout → the endpoint, `TBD` → the undecided key); undefined for `found` and
 * `not-found` (a 404 is a finding, not something unverified).
 */
export function lookupUnverified(l: Lookup<unknown>, probe: FactId): Unverified | undefined {
  const cause = lookupCause(l, probe);
  if (cause === undefined || l.status === 'found') return undefined;
  return { ...(cause.kind === 'undecided' ? {} : { probe }), cause, detail: l.detail, ...(l.refs.length > 0 ? { refs: l.refs } : {}) };
}

/** The unverified entries of several lookups (those that could not look). */
export function lookupsUnverified(ls: readonly Lookup<unknown>[], probe: FactId): Unverified[] {
  return ls.flatMap((l) => {
    const u = lookupUnverified(l, probe);
    return u ? [u] : [];
  });
}

/** The finding for a lookup that is not `found`, read from `probe`. */
export function missingFinding(l: Missing, what: string, probe: FactId): Finding {
  const evidence: Evidence[] = [{ text: l.detail, ...(l.refs.length > 0 ? { refs: l.refs } : {}) }];
  const u = lookupUnverified(l, probe);
  const unverified = u ? { unverified: [u] } : {};
  switch (l.status) {
    case 'tbd':
      return { status: 'fail', summary: `${what}: production name not decided (TBD)`, evidence, ...unverified };
    case 'not-found':
      return { status: 'fail', summary: `${what} does not exist`, evidence };
    case 'forbidden':
      return { status: 'unknown', summary: `cannot verify ${what}: permission denied (needs ${l.role})`, evidence, ...unverified };
    case 'error':
      return { status: 'unknown', summary: `cannot verify ${what}: ${l.reason === 'timeout' ? 'timed out' : l.reason === 'throttled' ? 'throttled by Azure' : l.reason === 'no-credentials' ? 'no Azure credentials' : 'the read failed'}`, evidence, ...unverified };
  }
}

/** The cause of a monitor listing that could not be read. */
export function gapCause(g: MonitorListingGap): Cause {
  switch (g.reason) {
    case 'forbidden':
      return { kind: 'forbidden', service: 'azure', role: g.role ?? 'Monitoring Reader (or Reader)' };
    case 'throttled':
      return { kind: 'throttled', service: 'azure' };
    case 'timeout':
      return { kind: 'unreachable', endpoint: g.endpoint ?? 'Azure Resource Manager' };
    case 'no-credentials':
      return { kind: 'no-credentials', service: 'azure' };
    case 'failed':
      return { kind: 'probe', probe: 'azure.monitor', reason: 'failed' };
  }
}

/** What a listing that could not be read leaves unverified. */
export function gapUnverified(g: MonitorListingGap, refs: readonly number[] = []): Unverified {
  return { probe: 'azure.monitor', cause: gapCause(g), detail: `${g.listing} not readable: ${g.detail}`, ...(refs.length > 0 ? { refs: [...refs] } : {}) };
}

/** One evidence line citing a lookup's own requests. */
export function cite<T>(l: Lookup<T>, text: string): Evidence {
  return { text, ...(l.refs.length > 0 ? { refs: l.refs } : {}) };
}


// ---------------------------------------------------------------------------------------------
// Alert coverage (monitoring.alert-*, monitoring.external-health)

/** The finding of one monitoring concern: the rule that covers it, or that none does. */
export function alertFinding(fact: AzureMonitorFact, concern: Concern, config: Config): Finding {
  const c: CoverageContext = {
    healthPath: config.domain.healthPath,
    ...(isTbd(config.domain.prod) ? {} : { prodDomain: config.domain.prod }),
    ...(isTbd(config.azure.dev.resourceGroup) ? {} : { devResourceGroup: config.azure.dev.resourceGroup }),
    ...(isTbd(config.azure.dev.vm) ? {} : { devVm: config.azure.dev.vm }),
  };
  const label = CONCERN_LABEL[concern];
  const covers = coverage(fact, concern, c);
  const refs = Object.values(fact.refs).flat();
  const cited = (text: string): Evidence => ({ text, ...(refs.length > 0 ? { refs: [...new Set(refs)].sort((a, b) => a - b) } : {}) });
  const counts = `${fact.rules.length} alert rules (${fact.rules.filter((r) => r.enabled).length} enabled), ${fact.actionGroups.length} action groups, ${fact.webTests.length} web tests in subscription ${fact.subscriptionId}`;
  const evidence: Evidence[] = [cited(counts), ...covers.slice(0, 5).map((x) => cited(`${x.kind} '${x.name}': ${x.why}; ${x.notifies === true ? `notifies ${x.notifiedBy.join(', ')}` : x.notifies === false ? 'notifies nobody' : 'action group not readable'}`))];
  for (const g of fact.gaps) evidence.push(cited(`not readable: ${g.detail}`));
  const best = covers[0];
  if (best !== undefined && best.notifies === true) {
    return { status: 'pass', summary: `${label}: covered by ${best.kind} '${best.name}' (notifies ${best.notifiedBy.join(', ')})`, evidence };
  }
  if (best !== undefined) {
    return {
      status: 'warn',
      summary: `${label}: ${best.kind} '${best.name}' covers it but ${best.notifies === false ? 'notifies nobody (no enabled action group with an enabled receiver)' : 'its action group could not be read'}`,
      evidence,
    };
  }
  if (concern !== 'service-down' && concern !== 'error-rate' && concern !== 'disk-space' && c.prodDomain === undefined) {
    return { status: 'fail', summary: `${label}: no rule covers it, and the production domain is not decided (TBD)`, evidence };
  }
  const gaps = fact.gaps.filter((g) => concern === 'external-health' || concern === 'ssl-expiry' ? g.listing === 'web-tests' || g.listing === 'metric-alerts' : g.listing !== 'action-groups' && g.listing !== 'web-tests');
  if (gaps.length > 0) {
    return { status: 'unknown', summary: `${label}: no rule found, but ${gaps.map((g) => g.listing).join(', ')} could not be read (${gaps.map((g) => (g.role !== undefined ? `needs ${g.role}` : g.reason)).join('; ')})`, evidence };
  }
  return { status: 'fail', summary: `${label}: no alert rule covers it`, evidence };
}
