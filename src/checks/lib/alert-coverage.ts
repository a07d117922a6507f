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

const lower = (s: string) => s.toLowerCase();

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

type RuleConcern = Exclude<Concern, 'external-health'>;

/**
 * A metric signal as the probe writes it: `metric:<namespace>/<name>` or `metric:<name>`. ARM
 * namespaces are `<Provider>/<type>` (one slash: `Microsoft.Compute/virtualMachines`,
 * `microsoft.insights/components`); guest-metric namespaces have none
 * (`azure.vm.linux.guestmetrics`); metric names may contain slashes (`requests/failed`).
 */
export function parseMetric(signal: string): { namespace?: string; name: string } | undefined {
  if (!signal.toLowerCase().startsWith('metric:')) return undefined;
  const rest = signal.slice('metric:'.length).trim();
  const arm = /^(microsoft\.[a-z0-9]+\/[a-z0-9]+)\/(.+)$/i.exec(rest);
  if (arm?.[1] !== undefined && arm[2] !== undefined) return { namespace: arm[1], name: arm[2] };
  const guest = /^(azure\.vm\.(?:linux|windows)\.guestmetrics)\/(.+)$/i.exec(rest);
  if (guest?.[1] !== undefined && guest[2] !== undefined) return { namespace: guest[1], name: guest[2] };
  return { name: rest };
}

/**
 * Platform and Application Insights metrics by what they measure (names as the REST API spells
 * them, compared in lower case):
 * - `VmAvailabilityMetric` (Microsoft.Compute/virtualMachines: https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-compute-virtualmachines-metrics)
 *   and `availabilityResults/availabilityPercentage` (microsoft.insights/components:
 *   https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-insights-components-metrics),
 *   `HealthCheckStatus` (Microsoft.Web/sites) — the service is up or not;
 * - `requests/failed`, `exceptions/count`, `exceptions/server` (Application Insights) and
 *   `Http5xx` (Microsoft.Web/sites: https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-web-sites-metrics) — errors;
 *   `requests/duration` (latency) is neither;
 * - guest metrics of the Azure Monitor agent, namespace `azure.vm.linux.guestmetrics`
 *   (`disk/free_percent`, `disk/used_percent`, `disk/free`, `disk/used`:
 *   https://learn.microsoft.com/azure/azure-monitor/agents/data-collection-performance) — disk space.
 * The platform's own disk metrics (`OS Disk IOPS Consumed Percentage`, bandwidth, queue depth)
 * measure throughput, not space; `Percentage CPU` and memory measure neither.
 */
const METRICS: Record<RuleConcern, readonly string[]> = {
  'service-down': ['vmavailabilitymetric', 'availabilityresults/availabilitypercentage', 'healthcheckstatus'],
  'error-rate': ['requests/failed', 'exceptions/count', 'exceptions/server', 'http5xx'],
  'disk-space': [],
  'ssl-expiry': [],
};
const GUEST_DISK = new Set(['disk/free_percent', 'disk/used_percent', 'disk/free', 'disk/used', 'disk/free_gb', 'disk/used_gb']);
/** Windows guest counters: `\LogicalDisk(_Total)\% Free Space`, `\LogicalDisk(*)\Free Megabytes`. */
const WINDOWS_DISK = /^\\?logicaldisk(\([^)]*\))?\\(% free space|free megabytes)$/i;

function metricConcerns(m: { namespace?: string; name: string }): RuleConcern[] {
  const name = lower(m.name);
  const ns = m.namespace === undefined ? undefined : lower(m.namespace);
  const out = (Object.keys(METRICS) as RuleConcern[]).filter((c) => METRICS[c].includes(name));
  const guest = ns === undefined || ns.endsWith('.guestmetrics');
  if (guest && (GUEST_DISK.has(name) || WINDOWS_DISK.test(m.name))) out.push('disk-space');
  return out;
}

/** A comparison in a KQL `where`: `Col == "v"`, `Col in ("a", "b")`, `Col >= 500`, `Col has "x"`. */
interface KqlFilter {
  column: string;
  op: string;
  values: string[];
}

/**
 * What a log search query reads: its source tables (the first tabular expression, or the
 * operands of `union`) and the comparisons of its `where` clauses. Enough to tell what it
 * measures; not a KQL parser. Tables and columns: https://learn.microsoft.com/azure/azure-monitor/reference/tables/heartbeat,
 * .../tables/insightsmetrics (VM insights: Namespace "LogicalDisk", Name "FreeSpacePercentage":
 * https://learn.microsoft.com/azure/azure-monitor/vm/vminsights-log-query), .../tables/perf
 * (ObjectName "LogicalDisk" / "Logical Disk", CounterName "% Free Space"), .../tables/requests
 * and .../tables/apprequests (`success`, `resultCode`).
 */
export function readKql(query: string): { tables: string[]; filters: KqlFilter[] } {
  let q = query.replace(/\/\/[^\n]*/g, ' ').replace(/\bto(?:int|long|real|double)\(\s*([A-Za-z_]\w*)\s*\)/gi, '$1');
  while (/^\s*let\s[^;]*;/i.test(q)) q = q.replace(/^\s*let\s[^;]*;/i, '');
  const head = q.split('|')[0] ?? '';
  const union = /^\s*union\b(.*)$/is.exec(head);
  const tables = union
    ? (union[1] ?? '')
        .split(',')
        .map((t) => t.replace(/\b(withsource|kind|isfuzzy)\s*=\s*\S+/gi, '').trim())
        .filter((t) => /^[A-Za-z_]\w*$/.test(t))
    : [/^\s*([A-Za-z_]\w*)/.exec(head)?.[1] ?? ''].filter((t) => t !== '');
  const filters: KqlFilter[] = [];
  const re = /\b([A-Za-z_]\w*)\s*(==|=~|!=|!~|>=|<=|>|<|\bhas_cs\b|\bhas\b|\bcontains\b|\bstartswith\b|\bin~|\bin\b|\bbetween\b)\s*(\([^()]*\)|"[^"]*"|'[^']*'|[\w.-]+)/gi;
  for (const m of q.matchAll(re)) {
    const raw = m[3] ?? '';
    const values = (raw.startsWith('(') ? raw.slice(1, -1).split(/,|\.\./) : [raw]).map((v) => v.trim().replace(/^["']|["']$/g, '')).filter((v) => v !== '');
    filters.push({ column: m[1] ?? '', op: lower((m[2] ?? '').trim()), values });
  }
  return { tables, filters };
}

const STATUS_COLUMN = /^(status|status_d|status_s|statuscode|status_code|resultcode|httpstatus|httpstatuscode|sc_status|responsecode|response_code)$/i;

/** A filter that selects HTTP 5xx answers: `>= 500`, `> 499`, `startswith "5"`, `between (500 .. 599)`. */
function selects5xx(f: KqlFilter): boolean {
  if (!STATUS_COLUMN.test(f.column)) return false;
  const n = Number(f.values[0]);
  if ((f.op === '>=' && n >= 500 && n < 600) || (f.op === '>' && n >= 499 && n < 600)) return true;
  if (f.op === 'startswith' && f.values[0] === '5') return true;
  if (f.op === 'between' && Number(f.values[0]) >= 500 && Number(f.values[0]) < 600) return true;
  return (f.op === '==' || f.op === 'in') && f.values.some((v) => /^5\d\d$/.test(v));
}

function queryConcerns(query: string): RuleConcern[] {
  const { tables, filters } = readKql(query);
  const t = new Set(tables.map(lower));
  const is = (col: string, ...values: string[]) =>
    filters.some((f) => lower(f.column) === lower(col) && (f.op === '==' || f.op === '=~' || f.op === 'in' || f.op === 'in~' || f.op === 'has' || f.op === 'contains') && f.values.some((v) => values.includes(lower(v))));
  const out = new Set<RuleConcern>();
  // the agent stops sending its minute heartbeat: the VM or its agent is down
  if (t.has('heartbeat')) out.add('service-down');
  // availability test results read as logs
  if (t.has('availabilityresults') || t.has('appavailabilityresults')) out.add('service-down');
  // a unit of the service failing, as systemd logs it to syslog ("<unit>.service: Failed with result", "Main process exited")
  if (t.has('syslog') && filters.some((f) => lower(f.column) === 'syslogmessage' && f.values.some((v) => /\.service\b.*\b(failed|main process exited)|\bfailed with result\b|entered failed state/i.test(v)))) out.add('service-down');
  // failed requests (Application Insights: classic `requests`, workspace `AppRequests`) and exceptions
  if ((t.has('requests') || t.has('apprequests')) && (is('success', 'false', '0') || filters.some(selects5xx))) out.add('error-rate');
  if (t.has('exceptions') || t.has('appexceptions')) out.add('error-rate');
  // any access log with a 5xx filter on its status column (nginx access logs in a custom table)
  if (filters.some(selects5xx)) out.add('error-rate');
  // free or used space of a file system: VM insights and performance counters
  if (t.has('insightsmetrics') && is('namespace', 'logicaldisk') && is('name', 'freespacepercentage', 'freespacemb')) out.add('disk-space');
  if (t.has('perf') && is('countername', '% free space', '% used space', 'free megabytes') && (is('objectname', 'logicaldisk', 'logical disk') || !filters.some((f) => lower(f.column) === 'objectname'))) out.add('disk-space');
  return [...out];
}

/**
 * The concerns one signal measures — from what it reads (metric namespace and name, the KQL
 * tables and columns, the activity-log category), never from rule, resource or host names.
 */
export function signalConcerns(signal: string): RuleConcern[] {
  const l = lower(signal);
  const metric = parseMetric(signal);
  if (metric) return metricConcerns(metric);
  if (l.startsWith('query:')) return queryConcerns(signal.slice('query:'.length));
  // Resource Health: the platform reports the VM unavailable (https://learn.microsoft.com/azure/service-health/resource-health-overview)
  if (/^category=resourcehealth$/i.test(signal.trim())) return ['service-down'];
  return [];
}

const RULE_KIND: Record<AlertRule['kind'], string> = { metric: 'metric alert', log: 'log alert rule', 'activity-log': 'activity-log alert' };


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
  // web-test alerts are metric alerts: without that listing, "no alert on it" cannot be said
  const metricAlertsReadable = !fact.gaps.some((g) => g.listing === 'metric-alerts');
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
        why: alerts.length > 0 ? `${why}; alert ${alerts.map((a) => `'${a.name}'`).join(', ')}` : metricAlertsReadable ? `${why}; no alert rule on it` : `${why}; its alert rules could not be read`,
        notifies:
          alerts.length === 0
            ? metricAlertsReadable
              ? false
              : undefined
            : notify.some((n) => n.notifies === true)
              ? true
              : notify.some((n) => n.notifies === undefined)
                ? undefined
                : false,
        notifiedBy: notify.flatMap((n) => n.notifiedBy),
      });
    }
  }
  if (concern !== 'external-health') {
    for (const r of rules) {
      const signal = r.signals.find((s) => signalConcerns(s).includes(concern));
      if (signal === undefined) continue;
      // a web-test alert is reported with its web test above
      if (signal.startsWith('webtest:')) continue;
      out.push({ kind: RULE_KIND[r.kind], name: r.name, id: r.id, why: `watches ${signal.length > 120 ? `${signal.slice(0, 117)}...` : signal}`, ...notifiers(r, fact.actionGroups, groupsReadable) });
    }
  }
  const rank = (x: Cover) => (x.notifies === true ? 0 : x.notifies === undefined ? 1 : 2);
  return out.sort((a, b) => rank(a) - rank(b));
}
