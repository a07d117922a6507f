import { defineCheck } from '../../../engine/define.js';
import { cite, missingFinding } from '../../lib/azure.js';
import { botGapRows } from '../../lib/gaps.js';

/** The Azure Bot resource is what Teams talks to; without the Teams channel, Teams users never reach the bot (https://learn.microsoft.com/azure/bot-service/channel-connect-teams). */
export const check = defineCheck({
  meta: {
    id: 'bot.resource',
    section: 'bot',
    title: 'The production Azure Bot resource exists with the Microsoft Teams channel enabled',
    severity: 'high',
    blocker: true,
    effort: { size: 'S', hours: [1, 2] },
    remediation: {
      text: 'Create the production Azure Bot resource and enable the Microsoft Teams channel.',
      command: 'az bot msteams create --resource-group <prod-rg> --name <prod-bot>',
      url: 'https://learn.microsoft.com/azure/bot-service/channel-connect-teams',
    },
    runs: 'ARM botServices get + channels/MsTeamsChannel',
  },
  requires: ['azure.bot'],
  gapRows: botGapRows,
  evaluate(facts) {
    const { prod } = facts.need('azure.bot');
    if (prod.status !== 'found') return missingFinding(prod, 'the production Azure Bot', 'azure.bot');
    const b = prod.value;
    const evidence = [cite(prod, `${b.name} (${b.resourceGroup}): sku ${b.sku ?? '?'}, enabled channels ${b.enabledChannels.join(', ') || 'none'}`)];
    const teams = b.teams;
    if (teams.status === 'found') {
      evidence.push(cite(teams, `MsTeamsChannel isEnabled ${String(teams.value.enabled)}`));
      return teams.value.enabled
        ? { status: 'pass', summary: `${b.name} exists and its Teams channel is enabled`, evidence }
        : { status: 'fail', summary: `${b.name}: the Teams channel exists but is disabled`, evidence };
    }
    if (teams.status === 'not-found') {
      evidence.push(cite(teams, teams.detail));
      return { status: 'fail', summary: `${b.name} exists but has no Microsoft Teams channel`, evidence };
    }
    return missingFinding(teams, `the Teams channel of ${b.name}`, 'azure.bot');
  },
});
