/**
 * The firewall probes and checks against real nftables / iptables / ufw rulesets, each loaded in
 * a throw-away network namespace (`unshare -n`) so this machine's own firewall is never touched.
 * Every probe command passes the real command policy, then runs inside the namespace through
 * `nsenter`. Listeners are real sockets opened inside the namespace, seen by the real `ss`.
 *
 * Scenarios: a misconfigured production VM (ufw inactive, no filtering, an app port and MySQL on
 * 0.0.0.0) and a well-configured one (nftables default drop, only 22/80/443 public, the app and
 * the database on loopback); plus extra open ports, iptables-nft rules nft cannot show, nft
 * missing, and a real ufw enabled in its own mount namespace.
 * A missing tool fails the test with the Debian package to install; nothing is skipped.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { check as firewallCheck } from '../../src/checks/security/firewall/check.js';
import { check as openPortsCheck } from '../../src/checks/security/open-ports/check.js';
import { ORDER_PROCESSING_PROFILE } from '../../src/config/profile.js';
import { evaluateCheck, outcomesOf } from '../../src/engine/evaluate.js';
import { listeningProbe } from '../../src/probes/host/listening/probe.js';
import { netfilterProbe } from '../../src/probes/host/netfilter/probe.js';
import { ufwProbe } from '../../src/probes/host/ufw/probe.js';
import { requireTool } from '../helpers/real-context.js';
import { testFixturePath } from '../probes/fixture.js';
import { policedContext, type PolicedContextOptions } from '../probes/policed-context.js';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const PATH = `${process.env['PATH'] ?? ''}:/usr/sbin:/sbin`;
const checkCtx = () => ({ config: ORDER_PROCESSING_PROFILE, now: new Date() });
const ruleset = (name: string) => testFixturePath(`netfilter/rulesets/${name}`);

/** A process (`sleep`) holding a fresh network namespace (and, for ufw, a private mount namespace). */
class Namespace {
  private readonly children: ChildProcess[] = [];
  private constructor(readonly holder: ChildProcess, readonly pid: number, readonly mount: boolean) {}

  static async start(mountSetup?: string): Promise<Namespace> {
    const args = mountSetup === undefined ? ['-n', '--', 'sleep', '600'] : ['-m', '-n', '--propagation', 'private', '--', 'sh', '-c', `${mountSetup} && exec sleep 600`];
    const holder = spawn('unshare', args, { stdio: 'ignore', env: { ...process.env, PATH } });
    const pid = holder.pid;
    if (pid === undefined) throw new Error('unshare did not start');
    const ours = await readlink('/proc/self/ns/net');
    const until = Date.now() + 5_000;
    while (Date.now() < until) {
      const comm = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '');
      const net = await readlink(`/proc/${pid}/ns/net`).catch(() => ours);
      if (comm.trim() === 'sleep' && net !== ours) {
        const ns = new Namespace(holder, pid, mountSetup !== undefined);
        await ns.run('ip', 'link', 'set', 'lo', 'up');
        return ns;
      }
      await sleep(20);
    }
    throw new Error(`unshare ${args.join(' ')} did not set up a namespace`);
  }

  private enter(): string[] {
    return [`--net=/proc/${this.pid}/ns/net`, ...(this.mount ? [`--mount=/proc/${this.pid}/ns/mnt`] : [])];
  }

  /** Test setup inside the namespace (loading rules, enabling ufw): not a probe, not policed. */
  async run(...argv: string[]): Promise<string> {
    const { stdout } = await run('nsenter', [...this.enter(), '--', ...argv], { env: { ...process.env, PATH } });
    return stdout;
  }

  /** Opens TCP listeners inside the namespace (a Node process, shown by ss as `node`). */
  async listen(...addresses: [string, number][]): Promise<void> {
    const script = `const net = require('node:net'); let n = 0; const all = ${JSON.stringify(addresses)};
      for (const [host, port] of all) net.createServer().listen(port, host, () => { if (++n === all.length) console.log('ready'); });
      setTimeout(() => {}, 600000);`;
    const child = spawn('nsenter', [...this.enter(), '--', process.execPath, '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    this.children.push(child);
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (d: Buffer) => (d.toString().includes('ready') ? resolve() : undefined));
      child.on('exit', (code) => reject(new Error(`listener exited with ${String(code)}`)));
    });
  }

  context(extra: PolicedContextOptions = {}) {
    return policedContext({ ...extra, netnsOf: this.pid, mountNamespace: this.mount });
  }

  async stop(): Promise<void> {
    for (const c of [...this.children, this.holder]) {
      if (c.exitCode === null && c.pid !== undefined) {
        const exited = new Promise((r) => c.once('exit', r));
        process.kill(c.pid, 'SIGTERM');
        await exited;
      }
    }
  }
}

/** The three probes a firewall verdict reads, run inside the namespace, and the two checks on them. */
async function assess(ns: Namespace, extra: PolicedContextOptions = {}) {
  const [ufw, netfilter, listening] = await Promise.all([ufwProbe.collect(ns.context(extra)), netfilterProbe.collect(ns.context(extra)), listeningProbe.collect(ns.context(extra))]);
  const outcomes = outcomesOf({ 'host.ufw': ufw, 'host.netfilter': netfilter, 'host.listening': listening });
  return {
    ufw,
    netfilter,
    listening,
    firewall: evaluateCheck(firewallCheck, outcomes, checkCtx()),
    openPorts: evaluateCheck(openPortsCheck, outcomes, checkCtx()),
  };
}
const texts = (r: { evidence: { text: string }[] }) => r.evidence.map((e) => e.text);

describe('firewall checks on real rulesets in a network namespace', () => {
  let ns: Namespace | undefined;

  beforeAll(async () => {
    for (const [tool, pkg] of [['nft', 'nftables'], ['iptables', 'iptables'], ['ip6tables', 'iptables'], ['iptables-restore', 'iptables'], ['unshare', 'util-linux'], ['nsenter', 'util-linux'], ['ss', 'iproute2'], ['ip', 'iproute2'], ['ufw', 'ufw']] as const) {
      await requireTool(tool, pkg);
    }
  });
  afterEach(async () => {
    await ns?.stop();
    ns = undefined;
  });

  it('misconfigured VM: ufw inactive, no filtering, app port and MySQL on 0.0.0.0 → firewall and open-ports fail with the offending values', async () => {
    ns = await Namespace.start();
    await ns.listen(['0.0.0.0', 22], ['0.0.0.0', 80], ['0.0.0.0', 443], ['0.0.0.0', 3000], ['0.0.0.0', 3306], ['127.0.0.1', 6379]);
    const a = await assess(ns);
    expect(a.netfilter).toMatchObject({ ok: true, value: { source: 'nftables', chains: [] } });
    expect(a.firewall.status).toBe('fail');
    expect(texts(a.firewall)).toEqual(['Status: inactive', 'nftables: input policy accept, no rules']);
    expect(a.openPorts.status).toBe('fail');
    expect(texts(a.openPorts)).toEqual(
      expect.arrayContaining(['0.0.0.0:3306 node: database/cache port on a public address', '0.0.0.0:3000 node: public, and nftables lets it in']),
    );
    expect(texts(a.openPorts).join('\n')).not.toContain('6379');
  });

  it('well-configured VM: nftables default drop, 22/80/443 public, app and database on loopback → both pass', async () => {
    ns = await Namespace.start();
    await ns.run('nft', '-f', ruleset('well-configured.nft'));
    await ns.listen(['0.0.0.0', 22], ['0.0.0.0', 80], ['0.0.0.0', 443], ['127.0.0.1', 3000], ['127.0.0.1', 3306]);
    const a = await assess(ns);
    expect(a.firewall.status).toBe('pass');
    expect(a.firewall.summary).toContain('nftables filters incoming traffic: input policy drop');
    expect(texts(a.firewall)).toContain('nftables IPv4: input policy drop, 8 rules; TCP open to any address: 22, 80, 443; from some addresses only: 9100');
    expect(a.openPorts.status).toBe('pass');
    // ss lists sockets in hash order
    expect(texts(a.openPorts)[0]?.split(', ').sort()).toEqual(['0.0.0.0:22 node', '0.0.0.0:443 node', '0.0.0.0:80 node']);
  });

  it('nftables default drop but 3000 and 3306 open → firewall warns naming the rule; the public app port fails open-ports', async () => {
    ns = await Namespace.start();
    await ns.run('nft', '-f', ruleset('extra-ports.nft'));
    await ns.listen(['0.0.0.0', 3000], ['0.0.0.0', 8080]);
    const a = await assess(ns);
    expect(a.firewall.status).toBe('warn');
    expect(texts(a.firewall)).toContain('nftables inet filter input: tcp dport 22,80,443,3000,3306 accept');
    expect(a.openPorts.status).toBe('fail');
    expect(texts(a.openPorts).sort()).toEqual(['0.0.0.0:3000 node: public, and nftables lets it in', '0.0.0.0:8080 node: public, firewalled by nftables (blocked)']);
  });

  it('policy accept with one drop → firewall fails: every other port is open', async () => {
    ns = await Namespace.start();
    await ns.run('nft', '-f', ruleset('accept-default.nft'));
    const a = await assess(ns);
    expect(a.firewall.status).toBe('fail');
    expect(texts(a.firewall)).toContain('nftables IPv4: input policy accept, 1 rule; accepts every TCP port no rule names');
  });

  it('iptables-nft rules with extensions: nft shows "xt", so the probe reads iptables -S too', async () => {
    ns = await Namespace.start();
    await ns.run('iptables-restore', ruleset('iptables-nft.rules'));
    const a = await assess(ns);
    expect(a.netfilter).toMatchObject({ ok: true, value: { source: 'iptables', ipv4: { policy: 'drop', otherTcp: 'blocked' } } });
    expect(a.firewall.status).toBe('warn');
    expect(a.firewall.summary).toBe(
      'ufw is inactive; iptables filters incoming traffic but IPv6 is not filtered (ip6tables accepts every TCP port no rule names); TCP 8000-8010 open to any address (allowed public ports: 22, 80, 443)',
    );
    expect(texts(a.firewall)).toContain('iptables: -A app-input -p tcp -m multiport --dports 8000:8010 -j ACCEPT');
  });

  it('nft not installed: the same rules read through iptables -S and ip6tables -S alone', async () => {
    ns = await Namespace.start();
    await ns.run('iptables-restore', ruleset('iptables-nft.rules'));
    const r = await netfilterProbe.collect(ns.context({ missing: ['nft'] }));
    expect(r).toMatchObject({ ok: true, value: { source: 'iptables', notes: [expect.stringContaining('nft: nft not found')] } });
  });

  describe('a real ufw, enabled in its own mount namespace on a copy of /etc/ufw', () => {
    let dir = '';
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'predeploy-ufw-'));
      await cp('/etc/ufw', join(dir, 'ufw'), { recursive: true });
      await cp('/etc/default', join(dir, 'default'), { recursive: true });
      // ufw would apply /etc/ufw/sysctl.conf to the kernel; point it at an empty file instead
      await writeFile(join(dir, 'empty-sysctl.conf'), '');
      const defaults = await readFile(join(dir, 'default/ufw'), 'utf8');
      await writeFile(join(dir, 'default/ufw'), defaults.replace(/^IPT_SYSCTL=.*$/m, `IPT_SYSCTL=${join(dir, 'empty-sysctl.conf')}`));
    });
    afterAll(async () => {
      if (dir !== '') await rm(dir, { recursive: true, force: true });
    });

    it('ufw active (OpenSSH, Nginx Full): security.firewall passes on ufw; netfilter sees ufw chains and only 22/80/443', async () => {
      ns = await Namespace.start(`mount --bind ${join(dir, 'ufw')} /etc/ufw && mount --bind ${join(dir, 'default')} /etc/default`);
      for (const argv of [['default', 'deny', 'incoming'], ['default', 'allow', 'outgoing'], ['allow', 'OpenSSH'], ['allow', 'Nginx Full'], ['--force', 'enable']]) await ns.run('ufw', ...argv);
      await ns.listen(['0.0.0.0', 3000]);
      const a = await assess(ns);
      expect(a.ufw).toMatchObject({ ok: true, value: { active: true } });
      expect(a.netfilter).toMatchObject({ ok: true, value: { source: 'iptables', ufwChains: true, ipv4: { openTcp: [{ from: 22, to: 22 }, { from: 80, to: 80 }, { from: 443, to: 443 }] } } });
      expect(a.firewall.status).toBe('pass');
      expect(texts(a.firewall)).toContain('Default: deny (incoming), allow (outgoing), disabled (routed)');
      expect(texts(a.openPorts)).toEqual(['0.0.0.0:3000 node: public, firewalled by ufw (blocked)']);
    });
  });
});
