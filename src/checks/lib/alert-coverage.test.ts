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
