import { isTbd } from '../../../config/tbd.js';
import { defineCheck } from '../../../engine/define.js';
import { cite, missingFinding } from '../../lib/azure.js';

/** The endpoint production traffic must reach: `https://<domain.prod><bot.messagingPath>`. */
export function expectedEndpoint(domain: string, path: string): string {
  return `https://${domain}${path}`;
}

function same(a: string, b: string): boolean {
  try {
    const x = new URL(a);
    const y = new URL(b);
    return x.protocol === y.protocol && x.host.toLowerCase() === y.host.toLowerCase() && x.pathname.replace(/\/+$/, '') === y.pathname.replace(/\/+$/, '');
  } catch {
    return false;
  }
}

/**
 * The Bot Connector posts every Teams message to the bot's messaging endpoint
 * (https://learn.microsoft.com/azure/bot-service/bot-service-manage-settings): left on the dev
 * host, production users talk to dev.
 */
export const check = defineCheck({
  meta: {
    id: 'bot.messaging-endpoint',
    section: 'bot',
    title: "The production bot's messaging endpoint is https://<prod domain>/api/messages (bot.messagingPath)",
    severity: 'critical',
    blocker: true,
    effort: { size: 'S', hours: [1, 1] },
    remediation: {
      text: "Set the production bot's messaging endpoint to the production domain and messaging path.",
      command: 'az bot update --resource-group <prod-rg> --name <prod-bot> --endpoint https://<prod-domain>/api/messages',
      url: 'https://learn.microsoft.com/azure/bot-service/bot-service-manage-settings',
    },
    runs: 'ARM botServices get: properties.endpoint, compared with domain.prod + bot.messagingPath',
  },
  requires: ['azure.bot'],
  evaluate(facts, { config }) {
    const { prod } = facts.need('azure.bot');
    if (isTbd(config.domain.prod)) {
      return { status: 'fail', summary: 'the production domain is not decided (domain.prod is TBD), so the endpoint cannot be right', evidence: [{ text: 'domain.prod: TBD' }] };
    }
    if (prod.status !== 'found') return missingFinding(prod, 'the production Azure Bot', 'azure.bot');
    const want = expectedEndpoint(config.domain.prod, config.bot.messagingPath);
    const got = prod.value.endpoint;
    const evidence = [cite(prod, `${prod.value.name} endpoint: ${got ?? '(none)'}; expected ${want}`)];
    if (got !== undefined && same(got, want)) return { status: 'pass', summary: `${prod.value.name} posts to ${want}`, evidence };
    const onDev = got !== undefined && !isTbd(config.domain.dev) && got.toLowerCase().includes(`//${config.domain.dev.toLowerCase()}`);
    return {
      status: 'fail',
      summary: `${prod.value.name} posts to ${got ?? 'no endpoint'}${onDev ? ' (the dev host: production users would reach dev)' : ''}, not ${want}`,
      evidence,
    };
  },
});
