import { describe, expect, it } from 'vitest';
import { evaluateCheck, outcomesOf } from '../../../engine/evaluate.js';
import { config, NO_CREDENTIALS, NOW } from '../../../../test/fixtures/azure/check-context.js';
import type { Config } from '../../../config/schema.js';
import type { AzureBotFact } from '../../../facts/azure.js';
import { bot, botFact, found, notFound } from '../../../../test/fixtures/azure/facts.js';
import { check } from './check.js';

const run = (fact: AzureBotFact | typeof NO_CREDENTIALS, c: Config = config()) => evaluateCheck(check, outcomesOf({ 'azure.bot': 'ok' in fact ? fact : { ok: true, value: fact } }), { config: c, now: NOW });

describe('bot.app-registration', () => {
  it.each([
    ['single tenant, separate as decided', botFact(), config(), 'pass', /SingleTenant app 1111/],
    ['user-assigned managed identity', botFact(found(bot('prod', { msaAppType: 'UserAssignedMSI' }))), config(), 'pass', /UserAssignedMSI/],
    ['multi-tenant (can no longer be created)', botFact(found(bot('prod', { msaAppType: 'MultiTenant' }))), config(), 'warn', /multi-tenant app/],
    ['decision undecided: a gap', botFact(), config((c) => (c.bot.registration = 'TBD')), 'warn', /registration decision is undecided \(bot.registration is TBD\)/],
    ['separate decided but prod uses the dev app', botFact(found(bot('prod', { msaAppId: '22222222-2222-2222-2222-222222222222' }))), config((c) => (c.bot.prod.appId = 'TBD')), 'fail', /prod uses the dev app id/],
    ['app id differs from predeploy.yaml', botFact(found(bot('prod', { msaAppId: '33333333-3333-3333-3333-333333333333' }))), config(), 'fail', /predeploy\.yaml records 1111/],
    ['same decided, different apps', botFact(found(bot('prod', { msaAppId: '33333333-3333-3333-3333-333333333333' }))), config((c) => { c.bot.registration = 'same'; c.bot.dev.appId = 'TBD'; }), 'warn', /says same, but prod and dev use different app ids/],
    ['bot missing', botFact(notFound()), config(), 'fail', /does not exist/],
    // false passes: "separate as decided" without anything to compare with
    ['separate, dev bot not readable and bot.dev.appId TBD: not shown separate', botFact(found(bot('prod')), { status: 'forbidden', role: 'Reader', detail: 'cannot read dev bot (403)', refs: [3] }), config((c) => (c.bot.dev.appId = 'TBD')), 'unknown', /whether prod uses the dev app id is not known/],
    ['separate, dev bot absent but bot.dev.appId recorded: compared with it', botFact(found(bot('prod', { msaAppId: '22222222-2222-2222-2222-222222222222' })), notFound()), config((c) => (c.bot.prod.appId = 'TBD')), 'fail', /prod uses the dev app id/],
    ['the bot reports no app id', botFact(found(bot('prod', { msaAppId: undefined }))), config(), 'unknown', /reports no msaAppId/],
  ] as const)('%s', (_n, fact, c, status, summary) => {
    const r = run(fact, c);
    expect(r.status).toBe(status);
    expect(r.summary).toMatch(summary);
    if (r.status === 'unknown') expect(r.unverified.length).toBeGreaterThan(0);
  });

  it('probe failed → unknown', () => expect(run(NO_CREDENTIALS).status).toBe('unknown'));
});
