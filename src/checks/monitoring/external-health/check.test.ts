import { describe, expect, it } from 'vitest';
import { evaluateCheck, outcomesOf } from '../../../engine/evaluate.js';
import { config, NO_CREDENTIALS, NOW } from '../../../../test/fixtures/azure/check-context.js';
import type { AzureMonitorFact } from '../../../facts/azure.js';
import { monitorFact, rule } from '../../../../test/fixtures/azure/facts.js';
import { check } from './check.js';

const run = (fact: AzureMonitorFact | typeof NO_CREDENTIALS, c = config()) => evaluateCheck(check, outcomesOf({ 'azure.monitor': 'ok' in fact ? fact : { ok: true, value: fact } }), { config: c, now: NOW });
const none = monitorFact({ rules: [rule({ name: 'highcpu', kind: 'metric', signals: ['metric:Percentage CPU'] })], webTests: [] });
const gap = (listing: string) => ({ listing, reason: 'forbidden' as const, role: 'Monitoring Reader (or Reader)', detail: 'cannot read ...' });
const refused: AzureMonitorFact = { ...none, gaps: [gap('scheduled-query-rules'), gap('web-tests'), gap('metric-alerts')] };
const silent = (f: AzureMonitorFact): AzureMonitorFact => ({ ...f, actionGroups: f.actionGroups.map((g) => ({ ...g, receivers: g.receivers.map((r) => ({ ...r, enabled: false })) })) });

describe('monitoring.external-health', () => {
  it.each([
    ['a rule covers it and notifies someone', monitorFact(), 'pass', /covered by standard web test 'orders-health' \(notifies ag-orders-oncall\)/],
    ['a rule covers it but notifies nobody', silent(monitorFact()), 'warn', /notifies nobody/],
    ['no rule covers it: says none does', none, 'fail', /no alert rule covers it/],
    ['no rule found while a listing was refused', refused, 'unknown', /could not be read \(needs Monitoring Reader/],
    ['disabled rules do not count', monitorFact({ rules: monitorFact().rules.map((r) => ({ ...r, enabled: false })), webTests: [] }), 'fail', /no alert rule covers it/],
  ] as const)('%s', (_n, fact, status, summary) => {
    const r = run(fact);
    expect(r.status).toBe(status);
    expect(r.summary).toMatch(summary);
  });

  it('dev-only rules do not cover production', () => {
    const devOnly = monitorFact({ rules: monitorFact().rules.map((r) => ({ ...r, scopes: ['/subscriptions/s/resourceGroups/rg-orders-dev/providers/Microsoft.Compute/virtualMachines/pippai-vm-dev'] })), webTests: [] });
    expect(run(devOnly).status).toBe('fail');
  });

  it('cites the listings in the commands log', () => {
    expect(run(monitorFact()).evidence[0]?.refs).toEqual([70, 71, 72, 73, 74, 75, 76]);
  });

  it('probe failed → unknown', () => expect(run(NO_CREDENTIALS).status).toBe('unknown'));
});

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
