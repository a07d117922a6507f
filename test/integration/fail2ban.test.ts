/**
 * A real fail2ban-server on a fixture jail configuration (sshd + nginx-limit-req reading log
 * files in a temporary folder, polling backend, a ban action that does nothing), asked by the
 * real fail2ban-client through the probe. The server is this test's own: its own socket, pid
 * file, log and in-memory database; the host's fail2ban (if any) is not touched.
 * A missing fail2ban fails the test with the package to install; it is never skipped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFile, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../src/checks/security/fail2ban/check.js';
import { ORDER_PROCESSING_PROFILE } from '../../src/config/profile.js';
import { evaluateCheck, outcomesOf } from '../../src/engine/evaluate.js';
import type { ProbeResult } from '../../src/engine/types.js';
import type { Fail2banStatus } from '../../src/facts/host.js';
import { collectFail2ban } from '../../src/probes/host/fail2ban/probe.js';
import { realContext, requireTool } from '../helpers/real-context.js';
import { hostFixturePath } from '../probes/fixture.js';
import { policedContext } from '../probes/policed-context.js';

const checkCtx = () => ({ config: ORDER_PROCESSING_PROFILE, now: new Date() });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `Nov 26 02:13:14`: the syslog time stamp fail2ban's sshd filter reads, in local time like fail2ban. */
function syslogNow(): string {
  const d = new Date();
  const month = d.toLocaleString('en-US', { month: 'short' });
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${month} ${String(d.getDate()).padStart(2, ' ')} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

describe('fail2ban: a real fail2ban-server on a fixture jail config', () => {
  let dir = '';
  let sock = '';
  let server: ChildProcess | undefined;
  let serverLog = '';
  const client = (...args: string[]) => realContext().exec(['fail2ban-client', '-s', sock, ...args]);
  const probe = (): Promise<ProbeResult<Fail2banStatus>> => collectFail2ban(policedContext(), sock);

  /** Polls the probe until `done` holds (fail2ban's polling backend reads the logs about once a second). */
  async function probeUntil(done: (r: ProbeResult<Fail2banStatus>) => boolean, ms = 15_000): Promise<ProbeResult<Fail2banStatus>> {
    const until = Date.now() + ms;
    let r = await probe();
    while (!done(r) && Date.now() < until) {
      await sleep(300);
      r = await probe();
    }
    return r;
  }

  beforeAll(async () => {
    await requireTool('fail2ban-server', 'fail2ban');
    await requireTool('fail2ban-client', 'fail2ban');
    dir = await mkdtemp(join(tmpdir(), 'predeploy-f2b-'));
    const conf = join(dir, 'conf');
    sock = join(dir, 'f2b.sock');
    serverLog = join(dir, 'f2b.log');
    // Debian's stock filters and actions; not jail.d (it enables sshd on the systemd backend).
    await cp('/etc/fail2ban', conf, { recursive: true, filter: (src) => !src.startsWith('/etc/fail2ban/jail.d') });
    await cp(hostFixturePath('fail2ban/predeploy-noop.conf'), join(conf, 'action.d/predeploy-noop.conf'));
    const jail = (await readFile(hostFixturePath('fail2ban/jail.local.template'), 'utf8')).replaceAll('@DIR@', dir);
    await writeFile(join(conf, 'jail.local'), jail);
    await writeFile(join(conf, 'fail2ban.local'), '[Definition]\ndbfile = :memory:\n');
    await writeFile(join(dir, 'auth.log'), '');
    await writeFile(join(dir, 'nginx-error.log'), '');

    // -f: foreground, so this test owns the process; -x: remove a stale socket of ours
    server = spawn('fail2ban-server', ['-f', '-x', '-s', sock, '-p', join(dir, 'f2b.pid'), '--logtarget', serverLog, '-c', conf], {
      stdio: 'ignore',
      env: { ...process.env, PATH: `${process.env['PATH'] ?? ''}:/usr/sbin:/sbin` },
    });
    const until = Date.now() + 20_000;
    while (Date.now() < until) {
      if ((await client('ping')).exitCode === 0) return;
      await sleep(200);
    }
    throw new Error(`fail2ban-server did not answer on ${sock}: ${await readFile(serverLog, 'utf8').catch(() => '(no log)')}`);
  });

  afterAll(async () => {
    if (server && server.exitCode === null) {
      await client('stop');
      const until = Date.now() + 5_000;
      while (server.exitCode === null && Date.now() < until) await sleep(100);
      if (server.exitCode === null && server.pid !== undefined) process.kill(server.pid, 'SIGTERM');
    }
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it('sshd + nginx-limit-req running, two failed SSH logins → security.fail2ban passes with the counts', async () => {
    // documentation addresses (RFC 5737), below maxretry: nothing is banned
    const at = syslogNow();
    await appendFile(
      join(dir, 'auth.log'),
      `${at} vm sshd[4242]: Failed password for root from 203.0.113.5 port 50022 ssh2\n${at} vm sshd[4243]: Failed password for invalid user admin from 203.0.113.9 port 50023 ssh2\n`,
    );
    const r = await probeUntil((x) => x.ok && x.value.jails.find((j) => j.name === 'sshd')?.totalFailed === 2);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.running).toBe(true);
    expect(r.value.jails.map((j) => j.name).sort()).toEqual(['nginx-limit-req', 'sshd']);
    expect(r.value.jails.find((j) => j.name === 'sshd')).toEqual({ name: 'sshd', currentlyFailed: 2, totalFailed: 2, currentlyBanned: 0, totalBanned: 0 });
    const result = evaluateCheck(check, outcomesOf({ 'host.fail2ban': r }), checkCtx());
    expect(result.status).toBe('pass');
    expect(result.evidence.map((e) => e.text)).toEqual(
      expect.arrayContaining(['sshd: 0 banned now, 0 in total, 2 failing', 'nginx-limit-req: 0 banned now, 0 in total, 0 failing']),
    );
  });

  it('only the sshd jail left → warn: no nginx jail', async () => {
    expect((await client('stop', 'nginx-limit-req')).exitCode).toBe(0);
    const r = await probeUntil((x) => x.ok && x.value.jails.length === 1);
    expect(r).toMatchObject({ ok: true, value: { running: true, jails: [{ name: 'sshd' }] } });
    const result = evaluateCheck(check, outcomesOf({ 'host.fail2ban': r }), checkCtx());
    expect(result.status).toBe('warn');
    expect(result.summary).toBe('no nginx jail enabled (nginx-limit-req, nginx-http-auth, nginx-botsearch)');
  });

  it('server stopped (installed, not running) → security.fail2ban fails quoting the client', async () => {
    expect((await client('stop')).exitCode).toBe(0);
    const r = await probeUntil((x) => x.ok && !x.value.running);
    expect(r).toEqual({ ok: true, value: { running: false, jails: [], detail: `Failed to access socket path: ${sock}. Is fail2ban running?` } });
    const result = evaluateCheck(check, outcomesOf({ 'host.fail2ban': r }), checkCtx());
    expect(result.status).toBe('fail');
    expect(result.evidence.map((e) => e.text)).toEqual([`Failed to access socket path: ${sock}. Is fail2ban running?`]);
  });
});
