import { describe, expect, it } from 'vitest';
import { evaluateCheck, outcomesOf } from '../../../engine/evaluate.js';
import { config, NO_CREDENTIALS, NOW } from '../../../../test/fixtures/azure/check-context.js';
import type { Config } from '../../../config/schema.js';
import type { AzureBotFact } from '../../../facts/azure.js';
import { bot, botFact, forbidden, found, notFound } from '../../../../test/fixtures/azure/facts.js';
import { check } from './check.js';

const run = (fact: AzureBotFact | typeof NO_CREDENTIALS, c: Config = config()) => evaluateCheck(check, outcomesOf({ 'azure.bot': 'ok' in fact ? fact : { ok: true, value: fact } }), { config: c, now: NOW });

describe('bot.messaging-endpoint', () => {
  it.each([
    ['https://<prod domain>/api/messages', botFact(), config(), 'pass', /posts to https:\/\/orders\.pippaoflondon\.co\.uk\/api\/messages/],
    ['a configured messaging path', botFact(found(bot('prod', { endpoint: 'https://orders.pippaoflondon.co.uk/bot/messages' }))), config((c) => (c.bot.messagingPath = '/bot/messages')), 'pass', /bot\/messages/],
    ['left on the dev host', botFact(found(bot('prod', { endpoint: 'https://processing.pippaoflondon.co.uk/api/messages' }))), config(), 'fail', /the dev host/],
    ['plain http', botFact(found(bot('prod', { endpoint: 'http://orders.pippaoflondon.co.uk/api/messages' }))), config(), 'fail', /not https:/],
    ['prod domain TBD', botFact(), config((c) => (c.domain.prod = 'TBD')), 'fail', /production domain is not decided/],
    ['bot missing', botFact(notFound()), config(), 'fail', /does not exist/],
    ['bot not readable', botFact(forbidden()), config(), 'unknown', /needs Reader/],
  ] as const)('%s', (_n, fact, c, status, summary) => {
    const r = run(fact, c);
    expect(r.status).toBe(status);
    expect(r.summary).toMatch(summary);
  });

  it('probe failed → unknown', () => expect(run(NO_CREDENTIALS).status).toBe('unknown'));
});
