/**
 * Which alert rules cover which production concern: a pure reading of the `azure.monitor` fact
 * (no I/O), shared by the `monitoring.alert-*` and `monitoring.external-health` checks.
 *
 * A rule covers a concern when it is enabled, is not clearly a dev-only rule (every scope in the
 * dev resource group or on the dev VM), and watches a signal of that concern. The signals follow
 * Azure Monitor's recommended alerts for VMs and web apps:
 * https://learn.microsoft.com/azure/azure-monitor/vm/tutorial-monitor-vm-alert-recommended,
 * https://learn.microsoft.com/azure/azure-monitor/app/availability-standard-tests.
 */
import type { ActionGroupInfo, AlertRule, AzureMonitorFact, WebTestInfo } from '../../facts/azure.js';

export type Concern = 'service-down' | 'error-rate' | 'disk-space' | 'ssl-expiry' | 'external-health';

export const CONCERN_LABEL: Record<Concern, string> = {
  'service-down': 'service down',
  'error-rate': 'high error rate',
  'disk-space': 'disk space low',
  'ssl-expiry': 'TLS certificate expiring',
  'external-health': 'health endpoint monitored externally',
};

/** One rule (or web test) that covers a concern. */
export interface Cover {
  /** `log rule`, `metric alert`, `activity-log alert`, `web test` */
  kind: string;
  name: string;
  id: string;
  /** why it counts: the signal that matched */
  why: string;
  /** true: an enabled action group with an enabled receiver; false: none; undefined: cannot tell */
  notifies: boolean | undefined;
  /** the action groups that would notify, by name */
  notifiedBy: string[];
}

export interface CoverageContext {
  /** the production host name, or undefined when TBD */
  prodDomain?: string;
  healthPath: string;
  devResourceGroup?: string;
  devVm?: string;
}

const PATTERNS: Record<Exclude<Concern, 'external-health'>, RegExp[]> = {
  // agent heartbeat stops, a service unit fails, the VM becomes unavailable
  'service-down': [
    /\bheartbeat\b/i,
    /vmavailabilitymetric|vm availability/i,
    /category=(resourcehealth|servicehealth)/i,
    /systemctl|\bunit\b.*\b(failed|inactive)\b|workflow-api|workflow-worker|teams-bot/i,
  ],
  // HTTP 5xx, failed requests, exceptions, error-level log lines
  'error-rate': [/\b5\d\d\b|5xx|status\w*\s*>=?\s*500|http5xx|requests\/failed|failedrequests|success\s*==\s*false|\bexceptions\b|level\s*==\s*["']?error/i],
  // free or used space of a file system (the platform's disk metrics are IOPS and bandwidth, not space)
  'disk-space': [/free\s*space|freespace|used\s*space|logicaldisk|disk\s*space|\bdisk\b.*\b(free|used)\b|\bdf\b/i],
  // a certificate lifetime check
  'ssl-expiry': [/(cert|ssl|tls).*(expir|lifetime|days)/i],
};

const RULE_KIND: Record<AlertRule['kind'], string> = { metric: 'metric alert', log: 'log alert rule', 'activity-log': 'activity-log alert' };

const lower = (s: string) => s.toLowerCase();

function devOnly(rule: AlertRule, c: CoverageContext): boolean {
  if (rule.scopes.length === 0) return false;
  return rule.scopes.every((s) => {
    const l = lower(s);
    return (c.devResourceGroup !== undefined && l.includes(`/resourcegroups/${lower(c.devResourceGroup)}/`)) || (c.devVm !== undefined && l.endsWith(`/${lower(c.devVm)}`));
  });
}

/** Who a rule notifies: enabled action groups with at least one enabled receiver. */
function notifiers(rule: AlertRule, groups: readonly ActionGroupInfo[], groupsReadable: boolean): Pick<Cover, 'notifies' | 'notifiedBy'> {
  const byId = new Map(groups.map((g) => [lower(g.id), g]));
  const named: string[] = [];
  let unknown = false;
  for (const id of rule.actionGroups) {
    const g = byId.get(lower(id));
    if (!g) {
      unknown = true;
      continue;
    }
    if (g.enabled && g.receivers.some((r) => r.enabled)) named.push(g.name);
  }
  if (named.length > 0) return { notifies: true, notifiedBy: named };
  if (rule.actionGroups.length === 0) return { notifies: false, notifiedBy: [] };
  return { notifies: unknown || !groupsReadable ? undefined : false, notifiedBy: [] };
}

function hostPath(url: string): { host: string; path: string } | undefined {
  try {
    const u = new URL(url);
    return { host: lower(u.hostname), path: u.pathname };
  } catch {
    return undefined;
  }
}

/** The enabled web tests that request the production domain. */
export function prodWebTests(fact: AzureMonitorFact, c: CoverageContext): WebTestInfo[] {
  if (c.prodDomain === undefined) return [];
  const domain = lower(c.prodDomain);
  return fact.webTests.filter((t) => t.enabled && t.url !== undefined && hostPath(t.url)?.host === domain);
}

/** The rules and web tests covering `concern`, best first (notifying before silent). */
export function coverage(fact: AzureMonitorFact, concern: Concern, c: CoverageContext): Cover[] {
  const groupsReadable = !fact.gaps.some((g) => g.listing === 'action-groups');
  const rules = fact.rules.filter((r) => r.enabled && !devOnly(r, c));
  const out: Cover[] = [];
  const tests = prodWebTests(fact, c);
  const alertsOn = (t: WebTestInfo) => rules.filter((r) => r.signals.some((s) => lower(s) === `webtest:${lower(t.id)}`));

  if (concern === 'external-health' || concern === 'service-down' || concern === 'ssl-expiry') {
    for (const t of tests) {
      if (concern === 'ssl-expiry' && !t.sslCheck) continue;
      const hp = hostPath(t.url ?? '');
      const onHealth = hp?.path === c.healthPath;
      const alerts = alertsOn(t);
      const notify = alerts.map((a) => notifiers(a, fact.actionGroups, groupsReadable));
      const why =
        concern === 'ssl-expiry'
          ? `checks the certificate of ${t.url ?? ''}${t.sslLifetimeDays !== undefined ? ` (fails ${t.sslLifetimeDays} days before expiry)` : ''}`
          : `requests ${t.url ?? ''} from ${t.locationCount} location(s)${onHealth ? '' : ` (not the health path ${c.healthPath})`}`;
      out.push({
        kind: `${t.kind} web test`,
        name: t.name,
        id: t.id,
        why: alerts.length > 0 ? `${why}; alert ${alerts.map((a) => `'${a.name}'`).join(', ')}` : `${why}; no alert rule on it`,
        notifies: alerts.length === 0 ? false : notify.some((n) => n.notifies === true) ? true : notify.some((n) => n.notifies === undefined) ? undefined : false,
        notifiedBy: notify.flatMap((n) => n.notifiedBy),
      });
    }
  }
  if (concern !== 'external-health') {
    for (const r of rules) {
      const signal = r.signals.find((s) => PATTERNS[concern].some((p) => p.test(s)));
      if (signal === undefined) continue;
      // a web-test alert is reported with its web test above
      if (signal.startsWith('webtest:')) continue;
      out.push({ kind: RULE_KIND[r.kind], name: r.name, id: r.id, why: `watches ${signal.length > 120 ? `${signal.slice(0, 117)}...` : signal}`, ...notifiers(r, fact.actionGroups, groupsReadable) });
    }
  }
  const rank = (x: Cover) => (x.notifies === true ? 0 : x.notifies === undefined ? 1 : 2);
  return out.sort((a, b) => rank(a) - rank(b));
}
