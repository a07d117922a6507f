import { describe, expect, it } from 'vitest';
import { ORDER_PROCESSING_PROFILE } from '../../../config/profile.js';
import { evaluateCheck, outcomesOf } from '../../../engine/evaluate.js';
import type { ProbeResult } from '../../../engine/types.js';
import type { AptPackageUpgrade, AptUpgrades } from '../../../facts/host.js';
import { parseAptUpgradable } from '../../../probes/host/apt-upgradable/parse.js';
import { hostFixture } from '../../../../test/probes/fixture.js';
import { check } from './check.js';

const now = new Date('2026-11-26T00:00:00Z');
const run = (o: ProbeResult<AptUpgrades>) => evaluateCheck(check, outcomesOf({ 'host.apt-upgradable': o }), { config: ORDER_PROCESSING_PROFILE, now });
const apt = (packages: AptPackageUpgrade[], extra: Partial<AptUpgrades> = {}): ProbeResult<AptUpgrades> => ({
  ok: true,
  value: { packages, refreshed: false, listsAgeHours: 5, ...extra },
});
const captured = parseAptUpgradable(hostFixture('apt/debian12-pending.txt'));
const pending = captured.ok ? captured.value : [];
const curl: AptPackageUpgrade = {
  name: 'curl',
  suites: ['bookworm'],
  candidate: '7.88.1-10+deb12u15',
  installed: '7.88.1-10+deb12u14',
  security: false,
  raw: 'curl/bookworm 7.88.1-10+deb12u15 amd64 [upgradable from: 7.88.1-10+deb12u14]',
};

describe('security.os-patches', () => {
  it.each([
    ['captured Debian 12 list (81 security)', apt(pending), 'fail', /^81 security upgrade\(s\) pending: apt-transport-https 2\.6\.1 → 2\.6\.2, apt 2\.6\.1 → 2\.6\.2, /],
    ['only non-security upgrades', apt([curl]), 'warn', /^1 upgrade\(s\) pending: curl 7\.88\.1-10\+deb12u14 → 7\.88\.1-10\+deb12u15$/],
    ['nothing pending, fresh lists', apt([]), 'pass', /^0 upgradable packages$/],
    ['nothing pending, lists 9 days old', apt([], { listsAgeHours: 216 }), 'warn', /list may be stale; run again with --refresh-apt/],
    ['nothing pending, refresh failed and lists old', apt([], { listsAgeHours: 400, refreshError: 'apt-get (exit 100): Temporary failure resolving' }), 'warn', /^apt-get update failed: /],
  ] as const)('%s → %s', (_name, outcome, status, evidence) => {
    const r = run(outcome);
    expect(r.status).toBe(status);
    expect(r.evidence.some((e) => evidence.test(e.text))).toBe(true);
  });

  it('lists the first five security packages and how many more', () => {
    const r = run(apt(pending));
    expect(r.summary).toBe('81 security update(s) pending');
    expect(r.evidence[0]?.text).toMatch(/, … 76 more$/);
  });

  it('nothing listed, lists of unknown age (not refreshed, /var/lib/apt/lists unreadable) → unknown naming the path', () => {
    const r = run(apt([], { listsAgeHours: undefined, listsUnreadable: { path: '/var/lib/apt/lists', reason: 'permission', detail: 'permission denied' } }));
    expect(r.status).toBe('unknown');
    expect(r.unverified.map((u) => u.cause)).toEqual([{ kind: 'permission', what: '/var/lib/apt/lists' }]);
  });

  it('nothing listed, lists of unknown age (no release files) → unknown', () => {
    const value: AptUpgrades = { packages: [], refreshed: false };
    expect(run({ ok: true, value }).status).toBe('unknown');
  });

  it('--refresh-apt failed (sudo needs a password), lists fresh → warn with the cause, not pass', () => {
    const r = run(apt([], { refreshError: 'apt-get (exit 1): sudo: a password is required', refreshNeedsPassword: true }));
    expect(r.status).toBe('warn');
    expect(r.summary).toMatch(/--refresh-apt failed/);
    expect(r.unverified.map((u) => u.cause)).toEqual([{ kind: 'sudo-password' }]);
  });

  it('--refresh-apt failed and the lists cannot be dated → unknown with both causes', () => {
    const r = run({ ok: true, value: { packages: [], refreshed: false, refreshError: 'apt-get (exit 100): Temporary failure resolving' } });
    expect(r.status).toBe('unknown');
    expect(r.unverified).toHaveLength(2);
  });

  it('probe failed → unknown', () => {
    expect(run({ ok: false, reason: 'not-installed', detail: 'apt not found' }).status).toBe('unknown');
  });
});
