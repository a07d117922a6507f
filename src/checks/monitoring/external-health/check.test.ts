import { expect, it, describe } from 'vitest';
import { config } from '../../../../test/fixtures/azure/check-context.js';
import { describeAlertCheck, runAlertCheck } from '../../../../test/fixtures/azure/alert-cases.js';
import { monitorFact } from '../../../../test/fixtures/azure/facts.js';
import type { Config } from '../../../config/schema.js';
import type { AzureMonitorFact } from '../../../facts/azure.js';
import { check } from './check.js';

describeAlertCheck(check, /covered by standard web test 'orders-health' \(notifies ag-orders-oncall\)/);

const run = (fact: AzureMonitorFact, c: Config = config()) => runAlertCheck(check, fact, c);

describe('monitoring.external-health: web tests', () => {
  it('a web test with no alert on it is a warning', () => {
    const f = monitorFact({ rules: monitorFact().rules.filter((r) => !r.signals.some((s) => s.startsWith('webtest:'))) });
    const r = run(f);
    expect(r.status).toBe('warn');
    expect(r.summary).toMatch(/'orders-health' covers it but notifies nobody/);
  });

  it('a web test of another host does not count; with the domain TBD, fail says so', () => {
    expect(run(monitorFact(), config((c) => (c.domain.prod = 'other.example.com'))).status).toBe('fail');
    expect(run(monitorFact(), config((c) => (c.domain.prod = 'TBD'))).summary).toMatch(/production domain is not decided/);
  });
});
