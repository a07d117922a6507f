import { describe, expect, it } from 'vitest';
import { ORDER_PROCESSING_PROFILE } from '../../../config/profile.js';
import { evaluateCheck, outcomesOf } from '../../../engine/evaluate.js';
import type { ProbeResult } from '../../../engine/types.js';
import type { ListeningSocket, NetfilterStatus, UfwStatus } from '../../../facts/host.js';
import { parseSsListening } from '../../../probes/host/listening/parse.js';
import { netfilterStatus, parseNftRuleset } from '../../../probes/host/netfilter/parse.js';
import { parseUfwStatus } from '../../../probes/host/ufw/parse.js';
import { hostFixture, testFixture } from '../../../../test/probes/fixture.js';
import { check } from './check.js';

const now = new Date('2026-11-26T00:00:00Z');
const ufw = (file: string): ProbeResult<UfwStatus> => parseUfwStatus(hostFixture(`ufw/${file}`));
const ss = (file: string): ProbeResult<ListeningSocket[]> => parseSsListening(hostFixture(`ss/${file}`));
const sock = (address: string, port: number, process = 'app'): ListeningSocket => ({ proto: 'tcp', address, port, process, raw: '' });
const listening = (...s: ListeningSocket[]): ProbeResult<ListeningSocket[]> => ({ ok: true, value: s });
const NOT_INSTALLED = { ok: false, reason: 'not-installed', detail: 'ufw not found' } as const;

const run = (l: ProbeResult<ListeningSocket[]>, u?: ProbeResult<UfwStatus>) =>
  evaluateCheck(check, outcomesOf(u ? { 'host.listening': l, 'host.ufw': u } : { 'host.listening': l }), { config: ORDER_PROCESSING_PROFILE, now });

const WEB = [sock('0.0.0.0', 22, 'sshd'), sock('::', 22, 'sshd'), sock('0.0.0.0', 80, 'nginx'), sock('0.0.0.0', 443, 'nginx')];
const LOCAL = [sock('127.0.0.1', 3306, 'mysqld'), sock('::1', 6379, 'redis-server'), sock('127.0.0.53', 53, 'systemd-resolve'), sock('::ffff:127.0.0.1', 8000, 'node')];

describe('security.open-ports', () => {
  it.each([
    ['web ports public, databases on loopback', listening(...WEB, ...LOCAL), ufw('active-deny-in.txt'), 'pass', '0.0.0.0:22 sshd, [::]:22 sshd, 0.0.0.0:80 nginx, 0.0.0.0:443 nginx'],
    ['mysqld on 0.0.0.0 (jc busy host), even behind ufw', ss('busy-host-tulpen.txt'), ufw('active-deny-in.txt'), 'fail', '0.0.0.0:3306 mysqld: database/cache port on a public address'],
    ['app port public, ufw default deny without a rule for it', listening(...WEB, sock('0.0.0.0', 3000, 'node')), ufw('active-deny-in.txt'), 'warn', '0.0.0.0:3000 node: public, firewalled by ufw (blocked)'],
    ['app port public, ufw inactive', listening(sock('0.0.0.0', 3000, 'node')), ufw('inactive.txt'), 'fail', '0.0.0.0:3000 node: public, and ufw is inactive'],
    ['app port public, ufw default allow', listening(sock('*', 8080, 'node')), ufw('active-allow-in.txt'), 'fail', '*:8080 node: public, and ufw lets it in'],
    ['app port public, ufw allows its range from Anywhere', listening(sock('0.0.0.0', 6001, 'x11')), parseUfwStatus(hostFixture('ufw/active-mixed.txt').replace('allow (incoming)', 'deny (incoming)')), 'fail', '0.0.0.0:6001 x11: public, and ufw lets it in'],
    ['app port allowed only from 10.0.0.0/8', listening(sock('0.0.0.0', 5433, 'pg')), parseUfwStatus(hostFixture('ufw/active-extra-ports.txt').replace(/5432/g, '5433')), 'warn', '0.0.0.0:5433 pg: public, firewalled by ufw (restricted)'],
    ['app port public, ufw not installed', listening(sock('10.0.0.4', 9000, 'php-fpm')), NOT_INSTALLED, 'fail', '10.0.0.4:9000 php-fpm: public, and ufw state unknown (not-installed: ufw not found)'],
    ['socket without a visible process (ss not root)', ss('not-root-no-process.txt'), ufw('active-deny-in.txt'), 'fail', '0.0.0.0:5432 (process not visible): database/cache port on a public address'],
  ] as const)('%s → %s', (_name, l, u, status, evidence) => {
    const r = run(l, u);
    expect(r.status).toBe(status);
    expect(r.evidence.map((e) => e.text)).toContain(evidence);
  });

  it('loopback listeners (127.0.0.0/8, ::1, ::ffff:127.x, %lo) are never reported', () => {
    const r = run(listening(...LOCAL, { ...sock('0.0.0.0', 5353, 'x'), scope: 'lo' }), ufw('inactive.txt'));
    expect(r.status).toBe('pass');
    expect(r.evidence.map((e) => e.text)).toEqual(['no public TCP listener']);
  });

  it('ufw not run at all: public non-allowed ports fail', () => {
    expect(run(listening(sock('0.0.0.0', 3000))).status).toBe('fail');
  });

  it('ss printed nothing (exit 0) → unknown, never "no public TCP listener"', () => {
    const r = run(parseSsListening(''), ufw('active-deny-in.txt'));
    expect(r.status).toBe('unknown');
    expect(r.unverified).toMatchObject([{ probe: 'host.listening', cause: { kind: 'probe', probe: 'host.listening', reason: 'failed' } }]);
  });

  it('listening probe failed → unknown', () => {
    const r = run({ ok: false, reason: 'permission', detail: 'ss (exit 1): sudo: a password is required' }, ufw('active-deny-in.txt'));
    expect(r.status).toBe('unknown');
  });
});

describe('security.open-ports with nftables deciding (ufw absent or inactive)', () => {
  const nft = (name: string): ProbeResult<NetfilterStatus> => {
    const r = parseNftRuleset(testFixture(`netfilter/nft/${name}.json`));
    return r.ok ? { ok: true, value: netfilterStatus('nftables', r.value.chains) } : r;
  };
  const run3 = (l: ProbeResult<ListeningSocket[]>, u: ProbeResult<UfwStatus>, n: ProbeResult<NetfilterStatus>) =>
    evaluateCheck(check, outcomesOf({ 'host.listening': l, 'host.ufw': u, 'host.netfilter': n }), { config: ORDER_PROCESSING_PROFILE, now });

  it.each([
    ['app port public, ufw inactive, nftables drops it', listening(...WEB, sock('0.0.0.0', 3000, 'node')), ufw('inactive.txt'), nft('well-configured'), 'warn', '0.0.0.0:3000 node: public, firewalled by nftables (blocked)'],
    ['app port public, ufw inactive, empty ruleset', listening(sock('0.0.0.0', 3000, 'node')), ufw('inactive.txt'), nft('empty'), 'fail', '0.0.0.0:3000 node: public, and nftables lets it in'],
    ['app port public, ufw not installed, nftables opens it', listening(sock('0.0.0.0', 3000, 'node')), NOT_INSTALLED, nft('extra-ports'), 'fail', '0.0.0.0:3000 node: public, and nftables lets it in'],
    ['metrics port accepted from 10.0.0.0/8 only', listening(sock('0.0.0.0', 9100, 'node_exporter')), ufw('inactive.txt'), nft('well-configured'), 'warn', '0.0.0.0:9100 node_exporter: public, firewalled by nftables (restricted)'],
    ['dual-stack listener: the IPv6 side of a v4-only allow', listening(sock('*', 5000, 'api')), ufw('inactive.txt'), nft('vmap-jump-sets'), 'fail', '*:5000 api: public, and nftables lets it in'],
    ['IPv6-only listener on a port open over IPv4 only', listening(sock('::', 5000, 'api')), ufw('inactive.txt'), nft('vmap-jump-sets'), 'warn', '[::]:5000 api: public, firewalled by nftables (restricted)'],
    ['database on 0.0.0.0 fails even when nftables drops it', listening(sock('0.0.0.0', 5432, 'postgres')), ufw('inactive.txt'), nft('well-configured'), 'fail', '0.0.0.0:5432 postgres: database/cache port on a public address'],
  ] as const)('%s → %s', (_name, l, u, n, status, evidence) => {
    const r = run3(l, u, n);
    expect(r.status).toBe(status);
    expect(r.evidence.map((e) => e.text)).toContain(evidence);
  });

  it('an active ufw still decides, whatever netfilter shows', () => {
    const r = run3(listening(sock('0.0.0.0', 3000, 'node')), ufw('active-deny-in.txt'), nft('empty'));
    expect(r.evidence.map((e) => e.text)).toEqual(['0.0.0.0:3000 node: public, firewalled by ufw (blocked)']);
  });

  it('netfilter probe failed: the ufw wording stays', () => {
    const r = run3(listening(sock('0.0.0.0', 3000, 'node')), ufw('inactive.txt'), { ok: false, reason: 'permission', detail: 'nft (exit 1): sudo: a password is required' });
    expect(r.evidence.map((e) => e.text)).toEqual(['0.0.0.0:3000 node: public, and ufw is inactive']);
  });
});
