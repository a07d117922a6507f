/**
 * The host probes against the real tools in this container (Debian 12, root): ufw, ss, sshd -T,
 * apt and fail2ban-client. A missing tool fails the test with the Debian package to install.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check as fail2banCheck } from '../../src/checks/security/fail2ban/check.js';
import { check as firewallCheck } from '../../src/checks/security/firewall/check.js';
import { check as openPortsCheck } from '../../src/checks/security/open-ports/check.js';
import { check as osPatchesCheck } from '../../src/checks/security/os-patches/check.js';
import { check as sshCheck } from '../../src/checks/security/ssh/check.js';
import { ORDER_PROCESSING_PROFILE } from '../../src/config/profile.js';
import { evaluateCheck, outcomesOf } from '../../src/engine/evaluate.js';
import { aptUpgradableProbe } from '../../src/probes/host/apt-upgradable/probe.js';
import { collectFail2ban } from '../../src/probes/host/fail2ban/probe.js';
import { listeningProbe } from '../../src/probes/host/listening/probe.js';
import { netfilterProbe } from '../../src/probes/host/netfilter/probe.js';
import { collectSshd } from '../../src/probes/host/sshd/probe.js';
import { ufwProbe } from '../../src/probes/host/ufw/probe.js';
import { realContext, requireTool } from '../helpers/real-context.js';
import { hostFixturePath } from './fixture.js';

const checkCtx = () => ({ config: ORDER_PROCESSING_PROFILE, now: new Date() });

describe('real host tools', () => {
  it('ufw status verbose: inactive in this container → security.firewall fails quoting the status line', async () => {
    await requireTool('ufw', 'ufw');
    const r = await ufwProbe.collect(realContext());
    expect(r).toEqual({ ok: true, value: { active: false, statusLine: 'Status: inactive', rules: [] } });
    if (!r.ok) return;
    const result = evaluateCheck(firewallCheck, outcomesOf({ 'host.ufw': r }), checkCtx());
    expect(result.status).toBe('fail');
    expect(result.evidence.map((e) => e.text)).toEqual(['Status: inactive']);
  });

  it('ufw inactive and the real (empty) ruleset read by nft → security.firewall fails citing both', async () => {
    await requireTool('nft', 'nftables');
    await requireTool('iptables', 'iptables');
    const [ufw, netfilter] = await Promise.all([ufwProbe.collect(realContext()), netfilterProbe.collect(realContext())]);
    expect(netfilter).toMatchObject({ ok: true, value: { source: 'nftables', chains: [], ipv4: { policy: 'accept', rules: 0 } } });
    const result = evaluateCheck(firewallCheck, outcomesOf({ 'host.ufw': ufw, 'host.netfilter': netfilter }), checkCtx());
    expect(result.status).toBe('fail');
    expect(result.evidence.map((e) => e.text)).toEqual(['Status: inactive', 'nftables: input policy accept, no rules']);
  });

  describe('sshd -T -f <fixture config>', () => {
    let dir = '';
    beforeAll(async () => {
      await requireTool('sshd', 'openssh-server');
      await requireTool('ssh-keygen', 'openssh-client');
      dir = await mkdtemp(join(tmpdir(), 'predeploy-sshd-'));
      const ctx = realContext();
      const keygen = await ctx.exec(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'hostkey')]);
      if (keygen.exitCode !== 0) throw new Error(`ssh-keygen failed: ${keygen.stderr}`);
    });
    afterAll(async () => {
      if (dir !== '') await rm(dir, { recursive: true, force: true });
    });

    /** The fixture config plus `HostKey <tmp>/hostkey`, run through the probe's own collect. */
    async function effective(name: string) {
      const path = join(dir, name);
      await writeFile(path, `${await readFile(hostFixturePath(`sshd/${name}`), 'utf8')}HostKey ${join(dir, 'hostkey')}\n`);
      let r = await collectSshd(realContext(), path);
      // Debian's sshd -T refuses to run until the ssh unit has created /run/sshd; test setup only.
      if (!r.ok && r.detail.includes('Missing privilege separation directory')) {
        await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
        r = await collectSshd(realContext(), path);
      }
      return r;
    }

    it('weak config (PermitRootLogin yes, PasswordAuthentication yes) → security.ssh fails', async () => {
      const r = await effective('weak.sshd_config');
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.value.options['permitrootlogin']).toEqual(['yes']);
      const result = evaluateCheck(sshCheck, outcomesOf({ 'host.sshd': r }), checkCtx());
      expect(result.status).toBe('fail');
      expect(result.evidence.map((e) => e.text)).toEqual(expect.arrayContaining(['permitrootlogin yes', 'passwordauthentication yes']));
    });

    it('hardened config → security.ssh passes', async () => {
      const r = await effective('hardened.sshd_config');
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      const result = evaluateCheck(sshCheck, outcomesOf({ 'host.sshd': r }), checkCtx());
      expect(result.status).toBe('pass');
      expect(result.evidence.map((e) => e.text)).toContain('allowgroups sshusers');
    });
  });

  describe('ss -tlnp', () => {
    const server = net.createServer();
    let port = 0;
    beforeAll(async () => {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('no port');
      port = address.port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('parses, shows our loopback listener, and security.open-ports does not report it', async () => {
      await requireTool('ss', 'iproute2');
      const r = await listeningProbe.collect(realContext());
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      const ours = r.value.find((s) => s.port === port);
      expect(ours).toMatchObject({ proto: 'tcp', address: '127.0.0.1', port });
      if (process.getuid?.() === 0) expect(ours?.pid).toBe(process.pid);
      const result = evaluateCheck(openPortsCheck, outcomesOf({ 'host.listening': r }), checkCtx());
      expect(result.status).not.toBe('unknown');
      expect(result.evidence.map((e) => e.text).join('\n')).not.toContain(`:${port} `);
    });
  });

  it('apt list --upgradable parses (any count) and security.os-patches gives a verdict', async () => {
    await requireTool('apt', 'apt');
    const r = await aptUpgradableProbe.collect(realContext());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Array.isArray(r.value.packages)).toBe(true);
    expect(r.value.refreshed).toBe(false);
    expect(r.value.listsAgeHours).toBeGreaterThanOrEqual(0);
    const result = evaluateCheck(osPatchesCheck, outcomesOf({ 'host.apt-upgradable': r }), checkCtx());
    expect(['pass', 'warn', 'fail']).toContain(result.status);
  });

  it('fail2ban-client status with no server running → running: false → security.fail2ban fails', async () => {
    await requireTool('fail2ban-client', 'fail2ban');
    // "No server" is state the test creates: a socket path in a fresh folder, where nothing
    // listens. The host's own fail2ban (on /var/run/fail2ban/fail2ban.sock) may well be running.
    const dir = await mkdtemp(join(tmpdir(), 'predeploy-f2b-none-'));
    const r = await collectFail2ban(realContext(), join(dir, 'fail2ban.sock'));
    await rm(dir, { recursive: true, force: true });
    expect(r).toMatchObject({ ok: true, value: { running: false, jails: [] } });
    if (!r.ok) return;
    expect(r.value.detail).toMatch(/Is fail2ban running\?/);
    const result = evaluateCheck(fail2banCheck, outcomesOf({ 'host.fail2ban': r }), checkCtx());
    expect(result.status).toBe('fail');
    expect(result.evidence[0]?.text).toBe(r.value.detail);
  });
});

describe('requireTool', () => {
  it('fails (never skips) naming the Debian package to install', async () => {
    await expect(requireTool('predeploy-no-such-tool', 'predeploy-pkg')).rejects.toThrow(
      'predeploy-no-such-tool is not installed: install the Debian package predeploy-pkg (sudo apt-get install predeploy-pkg)',
    );
  });
});
