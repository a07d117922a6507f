import { describe, expect, it } from 'vitest';
import { causeAction, causeKey } from './causes.js';
import type { Cause } from './types.js';

/** Every kind of cause, with what its action must say and must never say. */
const CASES: { cause: Cause; says: RegExp; command?: RegExp; never: RegExp }[] = [
  { cause: { kind: 'no-credentials', service: 'azure' }, says: /AZURE_CLIENT_ID.*AZURE_TENANT_ID.*AZURE_CLIENT_SECRET=<value>.*managed identity/, command: /^az login$/, never: /apt-get|install/ },
  { cause: { kind: 'no-credentials', service: 'graph' }, says: /az login/, command: /^az login$/, never: /apt-get|install/ },
  { cause: { kind: 'no-credentials', service: 'zoho' }, says: /zoho\.prod\.clientSecret\.env.*\.env file/, command: /ZOHO_PROD_CLIENT_ID=<value> ZOHO_PROD_CLIENT_SECRET=<value> ZOHO_PROD_REFRESH_TOKEN=<value>/, never: /az login|apt-get|install/ },
  { cause: { kind: 'no-credentials', service: 'bot' }, says: /bot\.prod\.secret\.env.*app password/, command: /BOT_PROD_SECRET=<value>/, never: /az login|apt-get|install/ },
  { cause: { kind: 'sudo-password' }, says: /root.*NOPASSWD/, never: /apt-get|az login/ },
  { cause: { kind: 'not-installed', tool: 'fail2ban-client', package: 'fail2ban' }, says: /install fail2ban.*or confirm the host does not use it/, command: /^apt-get install fail2ban$/, never: /az login/ },
  { cause: { kind: 'not-installed', tool: 'nginx' }, says: /nginx/, command: /^apt-get install nginx$/, never: /az login/ },
  { cause: { kind: 'offline' }, says: /re-run without --offline/, never: /install|az login/ },
  { cause: { kind: 'undecided', key: 'domain.prod' }, says: /set domain\.prod in predeploy\.yaml/, never: /install|az login/ },
  { cause: { kind: 'forbidden', service: 'azure', role: 'Monitoring Reader' }, says: /Monitoring Reader/, command: /^az role assignment create --assignee <id> --role "Monitoring Reader" --scope <scope>$/, never: /apt-get/ },
  { cause: { kind: 'forbidden', service: 'graph', role: 'Application.Read.All' }, says: /Application\.Read\.All.*admin consent/, command: /admin-consent/, never: /apt-get/ },
  { cause: { kind: 'permission', what: '/etc/nginx/' }, says: /root.*read access to \/etc\/nginx\//, never: /apt-get|az login/ },
  { cause: { kind: 'unreachable', endpoint: 'https://accounts.zoho.eu' }, says: /DNS.*firewall.*https:\/\/accounts\.zoho\.eu.*--connect-to/, never: /apt-get|az login/ },
  { cause: { kind: 'throttled', service: 'zoho' }, says: /re-run later.*--timeout/, never: /apt-get|az login/ },
  { cause: { kind: 'interrupted' }, says: /re-run/, never: /apt-get|az login/ },
  { cause: { kind: 'probe', probe: 'host.ufw', reason: 'timeout' }, says: /--timeout/, never: /az login/ },
  { cause: { kind: 'probe', probe: 'host.ufw', reason: 'permission' }, says: /root/, never: /az login|apt-get/ },
  { cause: { kind: 'probe', probe: 'host.ufw', reason: 'not-installed' }, says: /install/, never: /az login/ },
  { cause: { kind: 'check-error', check: 'security.ssh' }, says: /bug/, never: /install|az login/ },
];

describe('causeAction: the one action that removes each cause', () => {
  it.each(CASES)('$cause.kind $cause', ({ cause, says, command, never }) => {
    const a = causeAction(cause);
    expect(a.title.length).toBeGreaterThan(0);
    expect(a.action).toMatch(says);
    if (command) expect(a.command).toMatch(command);
    expect(`${a.title} ${a.action} ${a.command ?? ''}`).not.toMatch(never);
  });

  it('covers every kind of cause', () => {
    const kinds = new Set(CASES.map((c) => c.cause.kind));
    expect([...kinds].sort()).toEqual(['check-error', 'forbidden', 'interrupted', 'no-credentials', 'not-installed', 'offline', 'permission', 'probe', 'sudo-password', 'throttled', 'undecided', 'unreachable']);
  });

  it('gives one action per cause key (equal keys, equal actions)', () => {
    for (const c of CASES) for (const d of CASES) if (causeKey(c.cause) === causeKey(d.cause)) expect(causeAction(c.cause)).toEqual(causeAction(d.cause));
  });
});
