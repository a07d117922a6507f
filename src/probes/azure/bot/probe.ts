import { defineProbe } from '../../../engine/define.js';
import type { AzureEnvName, BotInfo, Lookup } from '../../../facts/azure.js';
import { carry, locate, lookup, perEnv, rgScope, wholeFailure } from '../lookup.js';
import { azureSetup, type AzureSetup } from '../setup.js';

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : {});

async function readBot(setup: AzureSetup, env: AzureEnvName, name: string, resourceGroup: string): Promise<Lookup<BotInfo>> {
  const { AzureBotService } = await import('@azure/arm-botservice');
  const client = new AzureBotService(setup.credential, setup.session.subscriptionId, setup.classic());
  const target = { role: 'Reader', scope: rgScope(resourceGroup) };
  const [bot, teams] = await Promise.all([
    lookup(() => client.bots.get(resourceGroup, name), { ...target, what: `${env} Azure Bot ${name}` }),
    lookup(
      async () => {
        const ch = await client.channels.get(resourceGroup, name, 'MsTeamsChannel');
        // MsTeamsChannelProperties.isEnabled (Bot Service 2022-09-15)
        return { enabled: rec(rec(ch.properties)['properties'])['isEnabled'] === true };
      },
      { ...target, what: `the Microsoft Teams channel of ${env} Azure Bot ${name}` },
    ),
  ]);
  if (bot.status !== 'found') return carry(bot);
  const b = bot.value;
  const p = b.properties;
  return {
    status: 'found',
    refs: bot.refs,
    value: {
      id: b.id ?? '',
      name: b.name ?? name,
      resourceGroup,
      ...(p?.endpoint ? { endpoint: p.endpoint } : {}),
      ...(p?.msaAppType ? { msaAppType: p.msaAppType } : {}),
      ...(p?.msaAppId ? { msaAppId: p.msaAppId } : {}),
      ...(p?.msaAppTenantId ? { msaAppTenantId: p.msaAppTenantId } : {}),
      ...(b.sku?.name ? { sku: b.sku.name } : {}),
      ...(b.kind ? { kind: b.kind } : {}),
      enabledChannels: p?.enabledChannels ?? [],
      ...(p?.publicNetworkAccess ? { publicNetworkAccess: p.publicNetworkAccess } : {}),
      teams,
    },
  };
}

/**
 * `azure.bot`: each environment's Azure Bot resource (ARM `Bots_Get`: messaging endpoint, app
 * type, app and tenant ids, channels) and its Microsoft Teams channel (`Channels_Get`
 * `MsTeamsChannel`): https://learn.microsoft.com/rest/api/botservice/bots/get
 */
export const botProbe = defineProbe({
  id: 'azure.bot',
  describe: 'ARM Azure Bot get + channels/MsTeamsChannel',
  network: true,
  async collect(ctx) {
    const setup = await azureSetup(ctx);
    if (!setup.ok) return setup;
    const value = await perEnv(async (env) => {
      const at = await locate(ctx, env, 'botName');
      if (at.status !== 'found') return carry<BotInfo>(at);
      const r = await readBot(setup.value, env, at.value.name, at.value.resourceGroup);
      return { ...r, refs: [...at.refs, ...r.refs] };
    });
    return wholeFailure([value.dev, value.prod], 'azure.bot') ?? { ok: true, value };
  },
});
