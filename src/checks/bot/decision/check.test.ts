import { describe, expect, it } from 'vitest';
import { ORDER_PROCESSING_PROFILE } from '../../../config/profile.js';
import type { Config } from '../../../config/schema.js';
import { evaluateCheck, outcomesOf } from '../../../engine/evaluate.js';
import { check } from './check.js';

const withBot = (bot: Partial<Config['bot']>): Config => ({
  ...ORDER_PROCESSING_PROFILE,
  bot: { ...ORDER_PROCESSING_PROFILE.bot, ...bot },
});
const ids = { appId: '00000000-0000-0000-0000-000000000001', tenantId: '00000000-0000-0000-0000-0000000000aa', secret: {} };

describe('bot.decision', () => {
  it.each([
    ['undecided (built-in profile)', ORDER_PROCESSING_PROFILE, 'fail'],
    ['separate, ids recorded', withBot({ registration: 'separate', prod: ids }), 'pass'],
    ['separate, prod ids TBD', withBot({ registration: 'separate' }), 'warn'],
    ['same as dev, dev ids recorded', withBot({ registration: 'same', dev: ids }), 'warn'],
  ] as const)('%s → %s', (_name, config, status) => {
    const r = evaluateCheck(check, outcomesOf({}), { config, now: new Date('2026-11-26T00:00:00Z') });
    expect(r.status).toBe(status);
    expect(r.evidence[0]?.text).toMatch(/^bot\.registration: /);
  });

  it('is n/a when the config says so', () => {
    const config = { ...ORDER_PROCESSING_PROFILE, notApplicable: { 'bot.decision': 'no Teams bot in this deployment' } };
    expect(evaluateCheck(check, outcomesOf({}), { config, now: new Date() }).status).toBe('n/a');
  });
});
