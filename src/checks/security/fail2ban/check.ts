import { defineCheck } from '../../../engine/define.js';
import type { Evidence } from '../../../engine/types.js';
import type { Fail2banJail } from '../../../facts/host.js';
import { summaries } from '../../lib/key-facts.js';

/** fail2ban's stock nginx jails (jail.conf): auth failures, limit_req rejections, scanners. */
const NGINX_JAILS = ['nginx-limit-req', 'nginx-http-auth', 'nginx-botsearch'];

/** A stock nginx jail, or a local one named like them (`nginx-4xx`, `nginx-badbots`). */
const isNginxJail = (name: string): boolean => NGINX_JAILS.includes(name) || name.startsWith('nginx-');

/** `3 address(es) banned now, 41 in total`, over the jails whose counts were read (fail2ban-client(1) "status <jail>"). */
function totals(jails: readonly Fail2banJail[]): string {
  const sum = (key: 'currentlyBanned' | 'totalBanned') => jails.reduce((n, j) => n + (j[key] ?? 0), 0);
  return `${sum('currentlyBanned')} address(es) banned now, ${sum('totalBanned')} in total`;
}

const jailText = (j: Fail2banJail): string =>
  j.detail !== undefined
    ? `${j.name}: counts unknown (${j.detail})`
    : `${j.name}: ${j.currentlyBanned ?? '?'} banned now, ${j.totalBanned ?? '?'} in total, ${j.currentlyFailed ?? '?'} failing`;

/**
 * fail2ban bans addresses that keep failing SSH or HTTP auth
 * (jail.conf(5): https://manpages.debian.org/bookworm/fail2ban/jail.conf.5.en.html).
 * The required jails come from config.host.requiredJails (default: sshd).
 */
export const check = defineCheck({
  meta: {
    id: 'security.fail2ban',
    section: 'security',
    title: 'fail2ban is running with the sshd jail and an nginx jail enabled',
    severity: 'high',
    effort: { size: 'S', hours: [0.5, 1.5] },
    remediation: {
      text:
        'Enable the jails in /etc/fail2ban/jail.local ([sshd] enabled = true; [nginx-limit-req] and [nginx-http-auth] enabled = true ' +
        'with logpath = /var/log/nginx/error.log), then start fail2ban and check it.',
      command: 'sudo systemctl enable --now fail2ban && sudo fail2ban-client status',
      url: 'https://manpages.debian.org/bookworm/fail2ban/jail.conf.5.en.html',
    },
    runs: 'sudo -n fail2ban-client status, and status <jail> for each jail',
  },
  requires: ['host.fail2ban'],
  keyFacts: summaries('host.fail2ban'),
  evaluate(facts, { config }) {
    const f2b = facts.need('host.fail2ban');
    if (!f2b.running) {
      return {
        status: 'fail',
        summary: 'fail2ban is installed but its server is not running',
        evidence: [{ text: f2b.detail ?? 'fail2ban server not reachable' }],
      };
    }
    const names = new Set(f2b.jails.map((j) => j.name));
    const evidence: Evidence[] = f2b.jails.length > 0 ? f2b.jails.map((j) => ({ text: jailText(j) })) : [{ text: 'Jail list: (none)' }];
    const missing = config.host.requiredJails.filter((j) => !names.has(j));
    if (missing.length > 0) {
      return {
        status: 'fail',
        summary: `required jail(s) not enabled: ${missing.join(', ')}`,
        evidence: [{ text: `missing: ${missing.join(', ')}` }, ...evidence],
      };
    }
    if (![...names].some(isNginxJail)) {
      return {
        status: 'warn',
        summary: `no nginx jail enabled (${NGINX_JAILS.join(', ')})`,
        evidence,
      };
    }
    return { status: 'pass', summary: `fail2ban running with ${f2b.jails.length} jail(s): ${[...names].join(', ')}; ${totals(f2b.jails)}`, evidence };
  },
});
