import type { ActionGroupResource, ActivityLogAlertResource, MetricAlertResource } from '@azure/arm-monitor';
import { defineProbe } from '../../../engine/define.js';
import type { ActionGroupInfo, AlertRule, AzureMonitorFact, Lookup, MonitorListingGap, WebTestInfo } from '../../../facts/azure.js';
import { lookupsFailure } from '../errors.js';
import { all, lookup } from '../lookup.js';
import { azureSetup, resourceGroupOf } from '../setup.js';

/**
 * arm-monitor 7 reads scheduled query rules with an API version that drops the query and the
 * threshold, so their bodies are read with `resources.getById` at the current stable version
 * (https://learn.microsoft.com/rest/api/monitor/scheduled-query-rules/get); web tests come from
 * Application Insights (https://learn.microsoft.com/rest/api/application-insights/web-tests/get),
 * whose SDK is not a dependency.
 */
export const SCHEDULED_QUERY_RULES_API = '2023-12-01';
export const WEBTESTS_API = '2022-06-15';

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function metricRule(r: MetricAlertResource): AlertRule {
  const c = rec(r.criteria);
  const signals: string[] = [];
  if (typeof c['webTestId'] === 'string') signals.push(`webtest:${c['webTestId']}`);
  for (const m of arr(c['allOf'])) {
    const metric = rec(m);
    const name = str(metric['metricName']);
    const ns = str(metric['metricNamespace']);
    if (name !== undefined) signals.push(`metric:${ns !== undefined ? `${ns}/` : ''}${name}`);
  }
  return {
    kind: 'metric',
    id: r.id ?? '',
    name: r.name ?? '',
    resourceGroup: resourceGroupOf(r.id ?? ''),
    enabled: r.enabled,
    severity: r.severity,
    ...(r.description ? { description: r.description } : {}),
    scopes: r.scopes,
    signals,
    actionGroups: (r.actions ?? []).flatMap((a) => (a.actionGroupId ? [a.actionGroupId] : [])),
  };
}

export function queryRule(id: string, name: string, properties: Rec): AlertRule {
  const criteria = arr(rec(properties['criteria'])['allOf']).map(rec);
  const sev = properties['severity'];
  const description = str(properties['description']);
  return {
    kind: 'log',
    id,
    name,
    resourceGroup: resourceGroupOf(id),
    enabled: properties['enabled'] !== false,
    ...(typeof sev === 'number' ? { severity: sev } : {}),
    ...(description !== undefined ? { description } : {}),
    scopes: arr(properties['scopes']).flatMap((s) => (typeof s === 'string' ? [s] : [])),
    signals: criteria.flatMap((c) => {
      const q = str(c['query']);
      const m = str(c['metricName']);
      return [...(q !== undefined ? [`query:${q}`] : []), ...(m !== undefined ? [`metric:${m}`] : [])];
    }),
    actionGroups: arr(rec(properties['actions'])['actionGroups']).flatMap((g) => (typeof g === 'string' ? [g] : [])),
  };
}

export function activityLogRule(r: ActivityLogAlertResource): AlertRule {
  return {
    kind: 'activity-log',
    id: r.id ?? '',
    name: r.name ?? '',
    resourceGroup: resourceGroupOf(r.id ?? ''),
    enabled: r.enabled !== false,
    ...(r.description ? { description: r.description } : {}),
    scopes: r.scopes ?? [],
    signals: (r.condition?.allOf ?? []).map((c) => `${c.field}=${c.equals}`),
    actionGroups: (r.actions?.actionGroups ?? []).map((g) => g.actionGroupId),
  };
}

export function actionGroup(g: ActionGroupResource): ActionGroupInfo {
  const receivers: ActionGroupInfo['receivers'] = [];
  const add = (kind: string, list: readonly { name?: string; status?: string }[] | undefined) => {
    for (const r of list ?? []) receivers.push({ kind, name: r.name ?? kind, enabled: r.status === undefined || r.status === 'Enabled' });
  };
  add('email', g.emailReceivers);
  add('sms', g.smsReceivers);
  add('webhook', g.webhookReceivers);
  add('itsm', g.itsmReceivers);
  add('app-push', g.azureAppPushReceivers);
  add('automation-runbook', g.automationRunbookReceivers);
  add('voice', g.voiceReceivers);
  add('logic-app', g.logicAppReceivers);
  add('azure-function', g.azureFunctionReceivers);
  add('arm-role', g.armRoleReceivers);
  add('event-hub', g.eventHubReceivers);
  return { id: g.id ?? '', name: g.name ?? '', enabled: g.enabled !== false, receivers };
}

/** The URL a web test requests: a standard test's `Request.RequestUrl`, or the `Url` of a classic ping test's XML. */
export function webTest(id: string, name: string, kind: string | undefined, p: Rec): WebTestInfo {
  const request = rec(p['Request']);
  const rules = rec(p['ValidationRules']);
  const xml = str(rec(p['Configuration'])['WebTest']);
  const url = str(request['RequestUrl']) ?? (xml !== undefined ? /\bUrl="([^"]+)"/.exec(xml)?.[1] : undefined);
  const lifetime = rules['SSLCertRemainingLifetimeCheck'];
  const frequency = p['Frequency'];
  return {
    id,
    name,
    resourceGroup: resourceGroupOf(id),
    enabled: p['Enabled'] === true,
    kind: (str(p['Kind']) ?? kind ?? 'ping').toLowerCase(),
    ...(url !== undefined ? { url } : {}),
    sslCheck: rules['SSLCheck'] === true,
    ...(typeof lifetime === 'number' ? { sslLifetimeDays: lifetime } : {}),
    ...(typeof frequency === 'number' ? { frequencySeconds: frequency } : {}),
    locationCount: arr(p['Locations']).length,
  };
}

/**
 * `azure.monitor`: the subscription's alerting — metric alerts, scheduled query (log) rules,
 * activity-log alerts, action groups and Application Insights availability tests — listed at
 * subscription scope. A listing that fails is recorded in `gaps`: with it, "no rule covers X"
 * cannot be claimed.
 */
export const monitorProbe = defineProbe({
  id: 'azure.monitor',
  describe: 'metric alerts, scheduled query rules, activity-log alerts, action groups and web tests of the subscription (ARM list + get)',
  network: true,
  async collect(ctx) {
    const setup = await azureSetup(ctx);
    if (!setup.ok) return setup;
    const { credential, session } = setup.value;
    const [{ MonitorClient }, { ResourceManagementClient }] = await Promise.all([import('@azure/arm-monitor'), import('@azure/arm-resources')]);
    const monitor = new MonitorClient(credential, session.subscriptionId, setup.value.classic());
    const resources = new ResourceManagementClient(credential, session.subscriptionId, setup.value.classic());
    const scope = `subscription ${session.subscriptionId}`;
    const target = (what: string) => ({ what: `the ${what} of ${scope}`, role: 'Monitoring Reader (or Reader)', scope });

    /** resources of one type, each read at `apiVersion` (GenericResource with its properties). */
    const byType = async (type: string, apiVersion: string) => {
      const listed = await all(resources.resources.list({ filter: `resourceType eq '${type}'` }));
      return Promise.all(listed.flatMap((r) => (r.id ? [resources.resources.getById(r.id, apiVersion)] : [])));
    };
    const [metric, log, activity, groups, tests] = await Promise.all([
      lookup(async () => (await all(monitor.metricAlerts.listBySubscription())).map(metricRule), target('metric alerts')),
      lookup(async () => (await byType('Microsoft.Insights/scheduledQueryRules', SCHEDULED_QUERY_RULES_API)).map((r) => queryRule(r.id ?? '', r.name ?? '', rec(r.properties))), target('scheduled query rules')),
      lookup(async () => (await all(monitor.activityLogAlerts.listBySubscriptionId())).map(activityLogRule), target('activity-log alerts')),
      lookup(async () => (await all(monitor.actionGroups.listBySubscriptionId())).map(actionGroup), target('action groups')),
      lookup(async () => (await byType('Microsoft.Insights/webtests', WEBTESTS_API)).map((r) => webTest(r.id ?? '', r.name ?? '', r.kind, rec(r.properties))), target('Application Insights web tests')),
    ]);
    const listings: [string, Lookup<unknown[]>][] = [
      ['metric-alerts', metric],
      ['scheduled-query-rules', log],
      ['activity-log-alerts', activity],
      ['action-groups', groups],
      ['web-tests', tests],
    ];
    const gaps: MonitorListingGap[] = listings.flatMap(([listing, l]) =>
      l.status === 'found'
        ? []
        : [
            {
              listing,
              reason: l.status === 'forbidden' ? 'forbidden' : l.status === 'error' ? l.reason : 'failed',
              detail: l.detail,
              ...(l.status === 'forbidden' ? { role: l.role } : {}),
              ...(l.status === 'error' && l.endpoint !== undefined ? { endpoint: l.endpoint } : {}),
            },
          ],
    );
    if (gaps.length === listings.length) {
      const failed = listings.flatMap(([, l]) => (l.status === 'forbidden' || l.status === 'error' ? [l] : []));
      const whole = lookupsFailure(failed, 'azure.monitor');
      if (whole) return whole;
      const first = listings[0]?.[1];
      const reason = first?.status === 'forbidden' ? 'permission' : first?.status === 'error' && first.reason === 'timeout' ? 'timeout' : 'failed';
      return { ok: false, reason, detail: [...new Set(gaps.map((g) => g.detail))].join('; ') };
    }
    const value: AzureMonitorFact = {
      subscriptionId: session.subscriptionId,
      rules: [...(metric.status === 'found' ? metric.value : []), ...(log.status === 'found' ? log.value : []), ...(activity.status === 'found' ? activity.value : [])],
      actionGroups: groups.status === 'found' ? groups.value : [],
      webTests: tests.status === 'found' ? tests.value : [],
      gaps,
      refs: Object.fromEntries(listings.map(([k, l]) => [k, l.refs])),
    };
    return { ok: true, value };
  },
});
