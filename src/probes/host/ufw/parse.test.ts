import { describe, expect, it } from 'vitest';
import type { UfwStatus } from '../../../facts/host.js';
import { hostFixture } from '../../../../test/probes/fixture.js';
import { parseUfwStatus } from './parse.js';

function parsed(file: string): UfwStatus {
  const r = parseUfwStatus(hostFixture(`ufw/${file}`));
  if (!r.ok) throw new Error(r.detail);
  return r.value;
}

describe('parseUfwStatus', () => {
  it('inactive.txt: `Status: inactive` and nothing else', () => {
    expect(parsed('inactive.txt')).toEqual({ active: false, statusLine: 'Status: inactive', rules: [] });
  });

  it('active-deny-in.txt: ufw 0.36 prints app rules with their ports, `(App (v6))` for IPv6', () => {
    const s = parsed('active-deny-in.txt');
    expect(s.active).toBe(true);
    expect(s.logging).toBe('on (low)');
    expect(s.defaults).toEqual({ incoming: 'deny', outgoing: 'allow', routed: 'disabled' });
    expect(s.defaultLine).toBe('Default: deny (incoming), allow (outgoing), disabled (routed)');
    expect(s.rules).toHaveLength(4);
    expect(s.rules[0]).toMatchObject({ to: '22/tcp (OpenSSH)', app: 'OpenSSH', action: 'ALLOW', direction: 'IN', from: 'Anywhere', fromAnywhere: true, v6: false, protocol: 'tcp', ports: [{ from: 22, to: 22 }] });
    expect(s.rules[3]).toMatchObject({ app: 'Nginx Full', v6: true, from: 'Anywhere', ports: [{ from: 80, to: 80 }, { from: 443, to: 443 }] });
    expect(s.rules[3]?.raw).toBe('80,443/tcp (Nginx Full (v6)) ALLOW IN    Anywhere (v6)');
  });

  it('active-extra-ports.txt: comments, LIMIT, a source-restricted rule', () => {
    const s = parsed('active-extra-ports.txt');
    expect(s.rules).toHaveLength(9);
    expect(s.rules[2]).toMatchObject({ to: '3306/tcp', comment: 'mysql for reporting', fromAnywhere: true });
    expect(s.rules[3]).toMatchObject({ to: '5432/tcp', from: '10.0.0.0/8', fromAnywhere: false });
    expect(s.rules[4]).toMatchObject({ to: '22/tcp', action: 'LIMIT', direction: 'IN' });
    expect(s.rules[7]).toMatchObject({ to: '3306/tcp', v6: true, comment: 'mysql for reporting' });
  });

  it('active-allow-in.txt: default allow incoming', () => {
    expect(parsed('active-allow-in.txt').defaults?.incoming).toBe('allow');
  });

  it('active-mixed.txt: interfaces, DENY, ranges, REJECT OUT and a routed (FWD) rule', () => {
    const s = parsed('active-mixed.txt');
    expect(s.rules).toHaveLength(18);
    expect(s.rules.find((r) => r.to === '8080/tcp' && !r.v6)).toMatchObject({ interface: 'eth0', action: 'ALLOW' });
    expect(s.rules.find((r) => r.to === '23' && !r.v6)).toMatchObject({ action: 'DENY', ports: [{ from: 23, to: 23 }] });
    expect(s.rules.find((r) => r.to === '6000:6007/tcp')).toMatchObject({ ports: [{ from: 6000, to: 6007 }] });
    expect(s.rules.filter((r) => r.direction === 'OUT').map((r) => r.action)).toEqual(['REJECT', 'REJECT']);
    expect(s.rules.at(-1)).toMatchObject({
      to: '10.0.0.5 80/tcp',
      toAddress: '10.0.0.5',
      direction: 'FWD',
      from: 'Anywhere on eth0',
      fromAnywhere: true,
      interface: 'eth1',
      ports: [{ from: 80, to: 80 }],
    });
  });

  it('legacy-app-names-hand-edited.txt (jc sample): app names without ports, FWD, `#comments`, Anywhere LIMIT', () => {
    const s = parsed('legacy-app-names-hand-edited.txt');
    expect(s.rules).toHaveLength(15);
    expect(s.defaults).toEqual({ incoming: 'deny', outgoing: 'allow', routed: 'deny' });
    expect(s.rules[2]).toMatchObject({ to: '443/tcp', action: 'DENY', direction: 'IN', from: '192.168.0.1', comment: 'nice comment' });
    expect(s.rules[6]).toMatchObject({ direction: 'FWD', v6: true, interface: 'en1', comment: 'commenting this rule' });
    expect(s.rules[9]).toMatchObject({ to: 'Apache Full', app: 'Apache Full', comment: 'a comment', ports: [{ from: 80, to: 80 }, { from: 443, to: 443 }] });
    expect(s.rules[11]).toMatchObject({ to: 'OpenSSH', app: 'OpenSSH', action: 'DENY', v6: true });
    expect(s.rules[12]).toMatchObject({ to: '10.10.10.10 8080', toAddress: '10.10.10.10', interface: 'enp34s0', from: '127.0.0.1 8000', fromAnywhere: false });
    expect(s.rules[14]).toMatchObject({ to: 'Anywhere', action: 'LIMIT', ports: 'all', v6: true, fromAnywhere: false });
  });

  it('ubuntu-18.04-protocol-rules.txt (jc capture): protocol-only rules and multi-range ports', () => {
    const s = parsed('ubuntu-18.04-protocol-rules.txt');
    expect(s.rules).toHaveLength(15);
    expect(s.rules[4]).toMatchObject({ to: '10.0.0.1/esp', toAddress: '10.0.0.1', protocol: 'esp', ports: 'all' });
    expect(s.rules[9]).toMatchObject({
      protocol: 'udp',
      ports: [{ from: 1, to: 1 }, { from: 2, to: 2 }, { from: 100, to: 200 }, { from: 300, to: 400 }],
    });
    expect(s.rules[12]).toMatchObject({ to: '80', v6: true, interface: 'eth0', comment: 'test' });
  });

  it('not-root.stderr.txt: text without a Status line fails the parse (unknown, never pass)', () => {
    expect(parseUfwStatus(hostFixture('ufw/not-root.stderr.txt'))).toEqual({
      ok: false,
      reason: 'failed',
      detail: 'no "Status:" line in ufw output: ERROR: You need to be root to run this script',
    });
  });

  it('a rule line without an action fails the parse', () => {
    const r = parseUfwStatus('Status: active\n\nTo Action From\n-- ------ ----\n22/tcp WHATEVER Anywhere\n');
    expect(r.ok).toBe(false);
  });
});
