import { isTbd } from '../../../config/tbd.js';
import { defineCheck } from '../../../engine/define.js';
import type { Evidence, Unverified } from '../../../engine/types.js';
import { cite, lookupUnverified, missingFinding } from '../../lib/azure.js';
import { worst, type PartStatus as Verdict } from '../../lib/status.js';

/**
 * Multi-tenant bots can no longer be created (since 31 July 2025) and existing ones should move
 * to single tenant or a user-assigned managed identity
 * (https://learn.microsoft.com/azure/bot-service/bot-service-quickstart-registration). The app
 * the bot uses must also match the registration decision of `bot.registration`: `separate`
 * means prod's app id differs from dev's; an undecided decision is a gap.
 */
export const check = defineCheck({
  meta: {
    id: 'bot.app-registration',
    section: 'bot',
    title: 'The production bot uses a single-tenant or managed-identity app that matches the registration decision',
    severity: 'high',
    effort: { size: 'S', hours: [1, 2] },
    remediation: {
      text: 'Give the production bot a SingleTenant (or UserAssignedMSI) app registration, separate from dev unless bot.registration says same, and record its app id in bot.prod.appId.',
      command: 'az bot create --resource-group <prod-rg> --name <prod-bot> --app-type SingleTenant --appid <app-id> --tenant-id <tenant-id>',
      url: 'https://learn.microsoft.com/azure/bot-service/bot-service-quickstart-registration',
    },
    runs: 'ARM botServices get (dev and prod): msaAppType, msaAppId, msaAppTenantId; bot.registration and bot.prod.appId from predeploy.yaml',
  },
  requires: ['azure.bot'],
  evaluate(facts, { config }) {
    const { dev, prod } = facts.need('azure.bot');
    if (prod.status !== 'found') return missingFinding(prod, 'the production Azure Bot', 'azure.bot');
    const b = prod.value;
    const evidence: Evidence[] = [cite(prod, `${b.name}: msaAppType ${b.msaAppType ?? '?'}, msaAppId ${b.msaAppId ?? '?'}, tenant ${b.msaAppTenantId ?? '?'}`), { text: `bot.registration: ${config.bot.registration}` }];
    const problems: { v: Verdict; text: string }[] = [];
    const type = b.msaAppType;
    if (type === 'MultiTenant') problems.push({ v: 'warn', text: 'multi-tenant app (new multi-tenant bots can no longer be created; move to SingleTenant or UserAssignedMSI)' });
    else if (type === undefined) problems.push({ v: 'warn', text: 'app type not reported' });
    const reg = config.bot.registration;
    // the dev app id: the dev bot's, else the one recorded in predeploy.yaml
    const devApp = dev.status === 'found' ? dev.value.msaAppId : !isTbd(config.bot.dev.appId) ? config.bot.dev.appId : undefined;
    const unverified: Unverified[] = [];
    if (b.msaAppId === undefined) {
      problems.push({ v: 'unknown', text: 'the bot reports no msaAppId, so it cannot be told apart from dev' });
      unverified.push({ probe: 'azure.bot', cause: { kind: 'probe', probe: 'azure.bot', reason: 'failed' }, detail: `${b.name}: properties.msaAppId missing from the ARM answer`, ...(prod.refs.length > 0 ? { refs: prod.refs } : {}) });
    } else if (reg === 'separate' && devApp === undefined) {
      // "separate as decided" needs the dev app id to compare with: without it, it is not shown
      const u = lookupUnverified(dev, 'azure.bot');
      problems.push({ v: 'unknown', text: `whether prod uses the dev app id is not known: ${dev.status === 'found' ? 'the dev bot reports no msaAppId' : dev.detail}, and bot.dev.appId is TBD` });
      unverified.push(u ?? { cause: { kind: 'undecided', key: 'bot.dev.appId' }, detail: 'the dev app id is neither read from the dev bot nor recorded (bot.dev.appId is TBD)' });
    }
    if (dev.status === 'found') evidence.push(cite(dev, `dev bot ${dev.value.name}: msaAppId ${devApp ?? '?'}`));
    if (reg === 'TBD') problems.push({ v: 'warn', text: 'the same-or-separate registration decision is undecided (bot.registration is TBD)' });
    if (reg === 'separate' && devApp !== undefined && b.msaAppId !== undefined && devApp.toLowerCase() === b.msaAppId.toLowerCase()) {
      problems.push({ v: 'fail', text: 'bot.registration says separate, but prod uses the dev app id' });
    }
    if (reg === 'same' && devApp !== undefined && b.msaAppId !== undefined && devApp.toLowerCase() !== b.msaAppId.toLowerCase()) {
      problems.push({ v: 'warn', text: 'bot.registration says same, but prod and dev use different app ids' });
    }
    const configured = reg === 'same' ? config.bot.dev.appId : config.bot.prod.appId;
    if (!isTbd(configured) && b.msaAppId !== undefined && configured.toLowerCase() !== b.msaAppId.toLowerCase()) {
      problems.push({ v: 'fail', text: `the bot uses app ${b.msaAppId}, but predeploy.yaml records ${configured}` });
    }
    if (problems.length === 0) return { status: 'pass', summary: `${b.name}: ${type} app ${b.msaAppId ?? ''}, ${reg} registration as decided`, evidence };
    return { status: worst(...problems.map((p) => p.v)), summary: `${b.name}: ${problems.map((p) => p.text).join('; ')}`, evidence, ...(unverified.length > 0 ? { unverified } : {}) };
  },
});
