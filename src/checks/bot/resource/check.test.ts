import { describe, expect, it } from 'vitest';
import { evaluateCheck, outcomesOf } from '../../../engine/evaluate.js';
import { config, NO_CREDENTIALS, NOW } from '../../../../test/fixtures/azure/check-context.js';
import type { Config } from '../../../config/schema.js';
import type { AzureBotFact } from '../../../facts/azure.js';
import { bot, botFact, forbidden, found, notFound, tbd } from '../../../../test/fixtures/azure/facts.js';
import { check } from './check.js';

const run = (fact: AzureBotFact | typeof NO_CREDENTIALS, c: Config = config()) => evaluateCheck(check, outcomesOf({ 'azure.bot': 'ok' in fact ? fact : { ok: true, value: fact } }), { config: c, now: NOW });

describe('bot.resource', () => {
  it.each([
    ['bot with Teams enabled', botFact(), 'pass', /Teams channel is enabled/],
    ['no Teams channel (404)', botFact(found(bot('prod', { teams: notFound() }))), 'fail', /has no Microsoft Teams channel/],
    ['Teams channel disabled', botFact(found(bot('prod', { teams: found({ enabled: false }) }))), 'fail', /disabled/],
    ['Teams channel not readable', botFact(found(bot('prod', { teams: forbidden() }))), 'unknown', /needs Reader/],
    ['bot missing', botFact(notFound()), 'fail', /does not exist/],
    ['bot name TBD', botFact(tbd()), 'fail', /not decided \(TBD\)/],
  ] as const)('%s', (_n, fact, status, summary) => {
    const r = run(fact);
    expect(r.status).toBe(status);
    expect(r.summary).toMatch(summary);
  });

  it('probe failed → unknown', () => expect(run(NO_CREDENTIALS).status).toBe('unknown'));
});
