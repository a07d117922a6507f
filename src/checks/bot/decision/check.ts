import { isTbd } from '../../../config/tbd.js';
import { defineCheck } from '../../../engine/define.js';
import type { Evidence } from '../../../engine/types.js';
import { botDecisionGapRows } from '../../lib/gaps.js';

/**
 * Whether production reuses the dev bot registration or gets its own is a decision, recorded
 * in predeploy.yaml as `bot.registration`. Undecided (`TBD`) blocks the bot checks that
 * follow from it (which app id, which vault secret, which endpoint), so it fails.
 */
export const check = defineCheck({
  meta: {
    id: 'bot.decision',
    section: 'bot',
    title: 'The bot registration for production is decided (same as dev, or separate) and its ids are recorded',
    severity: 'high',
    effort: { size: 'S', hours: [0.5, 1] },
    remediation: {
      text: 'Decide whether production gets its own Azure Bot registration (recommended: separate app id, secret and endpoint), then set bot.registration and bot.prod.appId / tenantId in predeploy.yaml.',
      url: 'https://learn.microsoft.com/azure/bot-service/bot-service-manage-overview',
    },
    runs: 'predeploy.yaml: bot.registration, bot.prod.appId, bot.prod.tenantId (no I/O)',
  },
  requires: [],
  gapRows: botDecisionGapRows,
  evaluate(_facts, { config }) {
    const { registration, dev, prod } = config.bot;
    const evidence: Evidence[] = [{ text: `bot.registration: ${registration}` }];
    if (registration === 'TBD') {
      return { status: 'fail', summary: 'undecided: bot.registration is TBD', evidence };
    }
    // With "same", production runs on the dev registration: its ids must still be known.
    const appId = registration === 'same' ? dev.appId : prod.appId;
    const tenantId = registration === 'same' ? dev.tenantId : prod.tenantId;
    const missing = [isTbd(appId) ? 'appId' : '', isTbd(tenantId) ? 'tenantId' : ''].filter(Boolean);
    evidence.push({ text: `prod app id: ${isTbd(appId) ? 'TBD' : 'set'}, tenant id: ${isTbd(tenantId) ? 'TBD' : 'set'}` });
    if (missing.length > 0) {
      return { status: 'warn', summary: `decided (${registration}) but ${missing.join(' and ')} still TBD`, evidence };
    }
    if (registration === 'same') {
      return {
        status: 'warn',
        summary: 'production shares the dev bot registration: a dev mistake can reach production users',
        evidence,
      };
    }
    return { status: 'pass', summary: 'separate production registration, ids recorded', evidence };
  },
});
