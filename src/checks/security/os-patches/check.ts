import { defineCheck } from '../../../engine/define.js';
import type { Evidence, Unverified } from '../../../engine/types.js';
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

    // What the listing rests on. "Nothing (security) pending" is only as good as the lists apt read:
    // - lists of unknown age (not refreshed, /var/lib/apt/lists unreadable): the listing may be
    //   arbitrarily old, so no better than unknown — we could not look at what decides it;
    // - --refresh-apt asked for and failed, lists of known acceptable age: the listing stands on
    //   lists we can date, so at best warn (the failed refresh is said, with its cause: the host may
    //   not reach its mirrors, or sudo needs a password); with stale lists it warns anyway.
    const refs = facts.refs('host.apt-upgradable');
    const unverified: Unverified[] = [];
    if (apt.refreshError !== undefined) {
      unverified.push({
        probe: 'host.apt-upgradable',
        cause: apt.refreshNeedsPassword ? { kind: 'sudo-password' } : { kind: 'probe', probe: 'host.apt-upgradable', reason: 'failed' },
        detail: `--refresh-apt: apt-get update failed: ${apt.refreshError}`,
        ...(refs.length > 0 ? { refs } : {}),
      });
    }
    const ageUnknown = age === undefined && !apt.refreshed;
    if (ageUnknown) {
      const u = apt.listsUnreadable;
      unverified.push({
        probe: 'host.apt-upgradable',
        cause: u?.reason === 'permission' ? { kind: 'permission', what: u.path } : { kind: 'probe', probe: 'host.apt-upgradable', reason: 'failed' },
        detail: u ? `age of the package lists unknown: could not read ${u.path}: ${u.detail}` : 'age of the package lists unknown (no release files in /var/lib/apt/lists)',
        ...(refs.length > 0 ? { refs } : {}),
      });
    }
    const withUnverified = unverified.length > 0 ? { unverified } : {};

    if (security.length > 0) {
      const evidence = [listing('security upgrade(s)', security), ...(other.length > 0 ? [listing('other upgrade(s)', other)] : []), ...freshness];
      return { status: 'fail', summary: `${security.length} security update(s) pending`, evidence, ...withUnverified };
    }
    if (ageUnknown) {
      const listed = other.length > 0 ? `${other.length} non-security update(s) listed` : 'no upgrades listed';
      return {
        status: 'unknown',
        summary: `${listed}, but the age of the package lists is unknown: security updates may be missing from them; run with --refresh-apt`,
        evidence: [...(other.length > 0 ? [listing('upgrade(s)', other)] : [{ text: '0 upgradable packages' }]), ...freshness],
        unverified,
      };
    }
    if (other.length > 0) {
      return { status: 'warn', summary: `${other.length} non-security update(s) pending`, evidence: [listing('upgrade(s)', other), ...freshness], ...withUnverified };
    }
    if (stale) {
      return { status: 'warn', summary: `no upgrades listed, but the package lists are ${Math.floor((age ?? 0) / 24)} days old`, evidence: freshness, ...withUnverified };
    }
    if (apt.refreshError !== undefined) {
      return { status: 'warn', summary: `no upgrades listed on lists ${age ?? '?'} h old, but --refresh-apt failed: ${apt.refreshError}`, evidence: [{ text: '0 upgradable packages' }, ...freshness], ...withUnverified };
    }
    return { status: 'pass', summary: 'no upgrades pending', evidence: [{ text: '0 upgradable packages' }, ...freshness] };
  },
});
