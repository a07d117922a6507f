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

/** The listings a concern is judged from: a gap in one of them makes "none covers it" unprovable. */
const LISTINGS: Record<Concern, readonly string[]> = {
  'service-down': ['metric-alerts', 'scheduled-query-rules', 'activity-log-alerts', 'web-tests'],
  'error-rate': ['metric-alerts', 'scheduled-query-rules', 'activity-log-alerts'],
  'disk-space': ['metric-alerts', 'scheduled-query-rules'],
  'ssl-expiry': ['web-tests', 'metric-alerts'],
  'external-health': ['web-tests', 'metric-alerts'],
};

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
  const sortedRefs = [...new Set(refs)].sort((a, b) => a - b);
  const cited = (text: string): Evidence => ({ text, ...(sortedRefs.length > 0 ? { refs: sortedRefs } : {}) });
  const counts = `${fact.rules.length} alert rules (${fact.rules.filter((r) => r.enabled).length} enabled), ${fact.actionGroups.length} action groups, ${fact.webTests.length} web tests in subscription ${fact.subscriptionId}`;
  const evidence: Evidence[] = [cited(counts), ...covers.slice(0, 5).map((x) => cited(`${x.kind} '${x.name}': ${x.why}; ${x.notifies === true ? `notifies ${x.notifiedBy.join(', ')}` : x.notifies === false ? 'notifies nobody' : 'who it notifies could not be read'}`))];
  for (const g of fact.gaps) evidence.push(cited(`not readable: ${g.detail}`));
  const gapsOf = (listings: readonly string[]) => fact.gaps.filter((g) => listings.includes(g.listing));
  const unverifiedOf = (listings: readonly string[]) => gapsOf(listings).map((g) => gapUnverified(g, fact.refs[g.listing] ?? []));
  const best = covers[0];
  if (best !== undefined && best.notifies === true) {
    return { status: 'pass', summary: `${label}: covered by ${best.kind} '${best.name}' (notifies ${best.notifiedBy.join(', ')})`, evidence };
  }
  if (best !== undefined && best.notifies === undefined) {
    // who it notifies could not be read: the action groups (or, for a web test, its alert rules)
    const unverified = unverifiedOf(['action-groups', 'metric-alerts']);
    const why = unverified.length > 0 ? `${gapsOf(['action-groups', 'metric-alerts']).map((g) => g.listing).join(', ')} could not be read` : 'its action group is not in the subscription\'s listing';
    return {
      status: 'unknown',
      summary: `${label}: ${best.kind} '${best.name}' covers it, but whether it notifies anyone is not known: ${why}`,
      evidence,
      unverified:
        unverified.length > 0
          ? unverified
          : [{ probe: 'azure.monitor', cause: { kind: 'probe', probe: 'azure.monitor', reason: 'failed' }, detail: `the action group of ${best.kind} '${best.name}' is not in the action groups listed for subscription ${fact.subscriptionId}`, ...(sortedRefs.length > 0 ? { refs: sortedRefs } : {}) }],
    };
  }
  if (best !== undefined) {
    return { status: 'warn', summary: `${label}: ${best.kind} '${best.name}' covers it but notifies nobody (no enabled action group with an enabled receiver)`, evidence };
  }
  if ((concern === 'ssl-expiry' || concern === 'external-health') && c.prodDomain === undefined) {
    return { status: 'fail', summary: `${label}: no rule covers it, and the production domain is not decided (TBD)`, evidence, unverified: [{ cause: { kind: 'undecided', key: 'domain.prod' }, detail: 'the production domain is TBD: no web test can be matched to it' }] };
  }
  const gaps = gapsOf(LISTINGS[concern]);
  if (gaps.length > 0) {
    return {
      status: 'unknown',
      summary: `${label}: no rule found, but ${gaps.map((g) => g.listing).join(', ')} could not be read (${gaps.map((g) => (g.role !== undefined ? `needs ${g.role}` : g.reason)).join('; ')})`,
      evidence,
      unverified: unverifiedOf(LISTINGS[concern]),
    };
  }
  return { status: 'fail', summary: `${label}: no alert rule covers it`, evidence };
}
