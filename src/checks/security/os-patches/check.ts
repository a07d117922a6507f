import { defineCheck } from '../../../engine/define.js';
import type { Evidence } from '../../../engine/types.js';
import type { AptPackageUpgrade } from '../../../facts/host.js';
import { summaries } from '../../lib/key-facts.js';

/** Lists older than this may hide published security fixes (apt-daily refreshes them every day). */
const STALE_HOURS = 7 * 24;
const SHOWN = 5;

const upgradeText = (p: AptPackageUpgrade): string => `${p.name} ${p.installed ?? '?'} → ${p.candidate}`;

function listing(label: string, packages: AptPackageUpgrade[]): Evidence {
  const shown = packages.slice(0, SHOWN).map(upgradeText).join(', ');
  const more = packages.length > SHOWN ? `, … ${packages.length - SHOWN} more` : '';
  return { text: `${packages.length} ${label} pending: ${shown}${more}` };
}

/**
 * Pending Debian/Ubuntu upgrades, security pocket first (https://www.debian.org/security/faq).
 * Without --refresh-apt the lists are whatever apt-daily last fetched, so their age is part
 * of the evidence: old lists can make a host look patched when it is not.
 */
export const check = defineCheck({
  meta: {
    id: 'security.os-patches',
    section: 'security',
    title: 'No security updates are pending and the package lists are fresh',
    severity: 'high',
    effort: { size: 'S', hours: [0.5, 2] },
    remediation: {
      text:
        'Apply the pending upgrades in a maintenance window (reboot if the kernel or libc changed), and keep unattended-upgrades ' +
        'enabled so security fixes install daily.',
      command: 'sudo apt-get update && sudo apt-get upgrade && sudo apt-get install unattended-upgrades',
      url: 'https://documentation.ubuntu.com/server/how-to/software/automatic-updates/',
    },
    runs: 'apt list --upgradable (sudo -n apt-get update -qq first only with --refresh-apt)',
  },
  requires: ['host.apt-upgradable'],
  keyFacts: summaries('host.apt-upgradable'),
  evaluate(facts) {
    const apt = facts.need('host.apt-upgradable');
    const security = apt.packages.filter((p) => p.security);
    const other = apt.packages.filter((p) => !p.security);
    const age = apt.listsAgeHours;
    const stale = age !== undefined && age > STALE_HOURS;

    const freshness: Evidence[] = [];
    if (apt.refreshError !== undefined) freshness.push({ text: `apt-get update failed: ${apt.refreshError}` });
    if (age !== undefined) {
      const days = Math.floor(age / 24);
      freshness.push({
        text: stale
          ? `package lists are ${days} days old: the list may be stale; run again with --refresh-apt`
          : `package lists updated ${age < 48 ? `${age} hours` : `${days} days`} ago${apt.refreshed ? ' (refreshed by this run)' : ''}`,
      });
    } else if (!apt.refreshed) {
      freshness.push({ text: 'age of the package lists unknown; run with --refresh-apt to be sure' });
    }

    if (security.length > 0) {
      const evidence = [listing('security upgrade(s)', security), ...(other.length > 0 ? [listing('other upgrade(s)', other)] : []), ...freshness];
      return { status: 'fail', summary: `${security.length} security update(s) pending`, evidence };
    }
    if (other.length > 0) {
      return { status: 'warn', summary: `${other.length} non-security update(s) pending`, evidence: [listing('upgrade(s)', other), ...freshness] };
    }
    if (stale) {
      return { status: 'warn', summary: `no upgrades listed, but the package lists are ${Math.floor((age ?? 0) / 24)} days old`, evidence: freshness };
    }
    return { status: 'pass', summary: 'no upgrades pending', evidence: [{ text: '0 upgradable packages' }, ...freshness] };
  },
});
