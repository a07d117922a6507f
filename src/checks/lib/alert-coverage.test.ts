import { describe, expect, it } from 'vitest';
import { monitorFact, rule, WEBTEST_ID } from '../../../test/fixtures/azure/facts.js';
import { coverage, type Concern } from './alert-coverage.js';

const ctx = { prodDomain: 'orders.pippaoflondon.co.uk', healthPath: '/health', devResourceGroup: 'rg-orders-dev', devVm: 'pippai-vm-dev' };
const names = (concern: Concern, fact = monitorFact()) => coverage(fact, concern, ctx).map((c) => c.name);

describe('alert coverage', () => {
  it('maps each rule of a configured subscription to the concerns it covers', () => {
    expect(names('service-down')).toEqual(['orders-health', 'service-heartbeat-missing']);
    expect(names('error-rate')).toEqual(['http-5xx-rate']);
    expect(names('disk-space')).toEqual(['disk-free-space-low']);
    expect(names('ssl-expiry')).toEqual(['orders-health']);
    expect(names('external-health')).toEqual(['orders-health']);
  });

  it.each([
    ['error-rate', 'query:requests | where success == false | summarize count()'],
    ['error-rate', 'metric:microsoft.insights/components/requests/failed'],
    ['error-rate', 'metric:Http5xx'],
    ['disk-space', 'query:Perf | where CounterName == "% Free Space"'],
    ['service-down', 'metric:VmAvailabilityMetric'],
    ['service-down', 'category=ResourceHealth'],
    ['service-down', "query:Syslog | where SyslogMessage has 'workflow-api.service: Failed'"],
  ] as const)('%s ← %s', (concern, signal) => {
    expect(names(concern, monitorFact({ rules: [rule({ name: 'r', signals: [signal] })], webTests: [] }))).toEqual(['r']);
  });

  // Real names: VM guest metrics (azure.vm.linux.guestmetrics), VM Insights (InsightsMetrics),
  // performance counters (Perf), Application Insights and App Service metrics.
  it.each([
    ['disk-space', "query:InsightsMetrics | where Namespace == \"LogicalDisk\" and Name == \"FreeSpacePercentage\" | summarize avg(Val) by Computer"],
    ['disk-space', 'query:Perf | where ObjectName == "LogicalDisk" and CounterName == "% Free Space" | summarize min(CounterValue) by Computer'],
    ['disk-space', 'query:Perf | where ObjectName == "Logical Disk" and CounterName == "% Used Space"'],
    ['disk-space', 'metric:azure.vm.linux.guestmetrics/disk/free_percent'],
    ['error-rate', 'metric:microsoft.insights/components/requests/failed'],
    ['error-rate', 'metric:Microsoft.Web/sites/Http5xx'],
    ['error-rate', 'query:AppRequests | where Success == false | summarize count()'],
    ['error-rate', 'query:requests | where toint(resultCode) >= 500 | summarize count()'],
    ['service-down', 'metric:microsoft.insights/components/availabilityResults/availabilityPercentage'],
    ['service-down', 'metric:Microsoft.Compute/virtualMachines/VmAvailabilityMetric'],
    ['service-down', 'query:Heartbeat | summarize LastHeartbeat = max(TimeGenerated) by Computer | where LastHeartbeat < ago(5m)'],
    ['service-down', 'query:AppAvailabilityResults | where Success == false'],
  ] as const)('by meaning: %s ← %s', (concern, signal) => {
    expect(names(concern, monitorFact({ rules: [rule({ name: 'r', signals: [signal] })], webTests: [] }))).toEqual(['r']);
  });

  const ALL = ['service-down', 'error-rate', 'disk-space', 'ssl-expiry', 'external-health'] as const;
  it.each([
    // a p95 latency rule measures neither "down" nor "errors"
    ['metric:microsoft.insights/components/requests/duration', []],
    ['query:requests | summarize percentile(duration, 95) by bin(timestamp, 5m)', []],
    ['query:requests | summarize p95 = percentile(duration, 95) | where p95 > 500', []],
    // CPU on a host whose name happens to say disk: names never count
    ['query:Perf | where Computer == "disk-used-host" and CounterName == "% Processor Time"', []],
    ['metric:Microsoft.Compute/virtualMachines/Percentage CPU', []],
    // platform disk metrics are throughput, not space
    ['metric:Microsoft.Compute/virtualMachines/OS Disk IOPS Consumed Percentage', []],
    ['query:InsightsMetrics | where Namespace == "LogicalDisk" and Name == "ReadsPerSecond"', []],
    ['query:Perf | where ObjectName == "LogicalDisk" and CounterName == "Disk Reads/sec"', []],
    // a successful-requests count is not an error rate
    ['query:AppRequests | where Success == true | summarize count()', []],
    ['query:Heartbeat | summarize count() by Computer', ['service-down']],
  ] as const)('counts only what it measures: %s → %j', (signal, concerns) => {
    const f = monitorFact({ rules: [rule({ name: 'r', signals: [signal] })], webTests: [] });
    expect(ALL.filter((c) => names(c, f).length > 0)).toEqual(concerns);
  });

  it('a rule named after a concern counts for nothing when it measures something else', () => {
    const f = monitorFact({ rules: [rule({ name: 'disk-space-low', signals: ['metric:Percentage CPU'], description: 'disk free space' })], webTests: [] });
    expect(names('disk-space', f)).toEqual([]);
  });

  it('a web test whose alert rules could not be read: who it notifies is not known (never "notifies nobody")', () => {
    const f = monitorFact({ rules: [], gaps: [{ listing: 'metric-alerts', reason: 'throttled', detail: 'cannot read the metric alerts: still throttled after 5 attempts' }] });
    expect(coverage(f, 'external-health', ctx)[0]).toMatchObject({ notifies: undefined, why: expect.stringMatching(/alert rules could not be read/) });
  });

  it.each([['metric:Percentage CPU'], ['metric:OS Disk IOPS Consumed Percentage'], ['metric:Available Memory Bytes']])('%s covers nothing', (signal) => {
    const f = monitorFact({ rules: [rule({ name: 'r', signals: [signal] })], webTests: [] });
    for (const c of ['service-down', 'error-rate', 'disk-space', 'ssl-expiry', 'external-health'] as const) expect(names(c, f)).toEqual([]);
  });

  it('a rule whose action group is unknown to the listing: notifies cannot be told', () => {
    const f = monitorFact({ rules: [rule({ name: 'r', signals: ['query:Heartbeat'], actionGroups: ['/subscriptions/other/resourceGroups/x/providers/microsoft.insights/actionGroups/y'] })], webTests: [] });
    expect(coverage(f, 'service-down', ctx)[0]).toMatchObject({ name: 'r', notifies: undefined });
  });

  it('a web test on another host or path: not the production health endpoint', () => {
    const f = monitorFact({ webTests: [{ ...monitorFact().webTests[0]!, url: 'https://processing.pippaoflondon.co.uk/health' }] });
    expect(names('external-health', f)).toEqual([]);
    const other = monitorFact({ webTests: [{ ...monitorFact().webTests[0]!, url: 'https://orders.pippaoflondon.co.uk/' }] });
    expect(coverage(other, 'external-health', ctx)[0]?.why).toMatch(/not the health path \/health/);
  });

  it('a web test without an alert covers nothing that pages', () => {
    const f = monitorFact({ rules: monitorFact().rules.filter((r) => !r.signals.includes(`webtest:${WEBTEST_ID}`)) });
    expect(coverage(f, 'external-health', ctx)[0]).toMatchObject({ notifies: false, why: expect.stringMatching(/no alert rule on it/) });
  });
});
