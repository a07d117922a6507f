import { describe, expect, it } from 'vitest';
import { ORDER_PROCESSING_PROFILE } from '../../../config/profile.js';
import { evaluateCheck, outcomesOf } from '../../../engine/evaluate.js';
import type { ProbeResult } from '../../../engine/types.js';
import type { UfwStatus } from '../../../facts/host.js';
import { parseUfwStatus } from '../../../probes/host/ufw/parse.js';
import { hostFixture } from '../../../../test/probes/fixture.js';
import { check } from './check.js';

const now = new Date('2026-11-26T00:00:00Z');
const ufw = (file: string): ProbeResult<UfwStatus> => parseUfwStatus(hostFixture(`ufw/${file}`));
const run = (outcome: ProbeResult<UfwStatus>) => evaluateCheck(check, outcomesOf({ 'host.ufw': outcome }), { config: ORDER_PROCESSING_PROFILE, now });

describe('security.firewall', () => {
  it.each([
    ['inactive.txt', 'fail', 'Status: inactive'],
    ['active-deny-in.txt', 'pass', 'Default: deny (incoming), allow (outgoing), disabled (routed)'],
    ['active-extra-ports.txt', 'warn', '3306/tcp ALLOW IN Anywhere # mysql for reporting'],
    ['active-allow-in.txt', 'warn', 'Default: allow (incoming), allow (outgoing), disabled (routed)'],
    ['active-mixed.txt', 'warn', '6000:6007/tcp ALLOW IN Anywhere'],
    ['legacy-app-names-hand-edited.txt', 'pass', 'Default: deny (incoming), allow (outgoing), deny (routed)'],
    ['ubuntu-18.04-protocol-rules.txt', 'warn', '100:200,300:400/tcp ALLOW IN Anywhere'],
  ] as const)('%s → %s', (file, status, evidence) => {
    const r = run(ufw(file));
    expect(r.status).toBe(status);
    expect(r.evidence.map((e) => e.text)).toContain(evidence);
  });

  it('inactive: the evidence quotes the status line exactly', () => {
    const r = run(ufw('inactive.txt'));
    expect(r.evidence).toEqual([{ text: 'Status: inactive', refs: [1] }]);
    expect(r.summary).toMatch(/inactive/);
  });

  it('reports a v4/v6 rule pair once', () => {
    const r = run(ufw('active-extra-ports.txt'));
    expect(r.evidence.filter((e) => e.text.startsWith('3306/tcp'))).toHaveLength(1);
    expect(r.summary).toContain('3306');
    expect(r.summary).not.toContain('5432'); // only from 10.0.0.0/8
  });

  it('an app profile with unknown ports from Anywhere is a warning, not a pass', () => {
    const r = run(parseUfwStatus('Status: active\nDefault: deny (incoming), allow (outgoing), disabled (routed)\n\nTo Action From\n-- ------ ----\nCustom App ALLOW IN Anywhere\n'));
    expect(r.status).toBe('warn');
    expect(r.summary).toContain("ufw app info 'Custom App'");
  });

  it('ufw not installed → unknown (nftables-only hosts come later)', () => {
    const r = run({ ok: false, reason: 'not-installed', detail: 'ufw not found (install the Debian/Ubuntu package ufw)' });
    expect(r.status).toBe('unknown');
    expect(r.summary).toContain('not installed');
  });
});
