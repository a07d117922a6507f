/**
 * Rebuilds the replay regression corpus: `npm run corpus:update` (vitest.corpus.config.ts runs
 * this file). Each scenario is run live — real nginx on loopback, real certbot and sshd over
 * fixtures, this machine's firewall — captured, and written to test/fixtures/replay/<name>/
 * as `bundle/` plus `expected.json`. Review the diff before committing it.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { ORDER_PROCESSING_PROFILE } from '../../src/config/profile.js';
import type { Config } from '../../src/config/schema.js';
import { captureFiles, startCapture } from '../../src/evidence/capture.js';
import { comparableRun } from '../../src/evidence/compare.js';
import { runAssessment, type RunOptions } from '../../src/engine/run.js';
import { Redactor } from '../../src/safety/redactor.js';
import { LocalTarget } from '../../src/targets/local.js';
import { DOMAIN, freePort, loopbackConfig, renderScenario, RunningNginx } from '../fixtures/nginx/harness.js';
import { addLineageVersion, TestCa } from '../fixtures/nginx/pki.js';
import { hostFixturePath } from '../probes/fixture.js';
import { CORPUS_DIR, checksById, scenarioProbes, type Expected, type ScenarioParams } from './corpus.js';

const NGINX_CHECKS = ['security.nginx-headers', 'security.nginx-tls', 'security.rate-limiting', 'security.tls-certificate', 'monitoring.health-endpoint'];

async function capture(name: string, description: string, o: { config: Config; params: ScenarioParams; checks: string[]; root?: string }): Promise<void> {
  const redactor = new Redactor();
  const base: RunOptions = {
    config: o.config,
    configSource: null,
    root: o.root ?? '/data/order-processing',
    target: new LocalTarget(),
    checks: checksById(o.checks),
    probes: scenarioProbes(o.params),
    only: [],
    skip: [],
    offline: false,
    refreshApt: false,
    timeoutMs: 15_000,
    concurrency: 4,
    isRoot: process.getuid?.() === 0,
    redactor,
    signal: new AbortController().signal,
  };
  const c = startCapture({ target: base.target, redactor, now: () => new Date(), env: {} });
  const opts = { ...base, ...c.options };
  const run = await runAssessment(opts);
  const files = captureFiles(c, run, opts, { toolVersion: 'corpus', host: 'corpus', runId: name, root: opts.root, configSource: null });
  const dir = fileURLToPath(new URL(`${name}/`, CORPUS_DIR));
  await rm(dir, { recursive: true, force: true });
  for (const [file, text] of files) {
    const path = join(dir, 'bundle', file);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, text);
  }
  const expected: Expected = {
    scenario: name,
    description,
    params: o.params,
    checks: o.checks,
    statuses: Object.fromEntries(run.results.map((r) => [r.id, r.status])),
    comparable: redactor.redactDeep(comparableRun(run, run.log.entries())),
  };
  await writeFile(join(dir, 'expected.json'), JSON.stringify(expected, null, 2) + '\n');
}

it('rebuilds test/fixtures/replay', async () => {
  // nginx and certbot: the integration suite's real scenarios (test/integration/nginx.test.ts)
  const work = await mkdtemp(join(tmpdir(), 'predeploy-corpus-'));
  const ca = await TestCa.create(work);
  const le = join(work, 'letsencrypt');
  const soon = join(work, 'letsencrypt-soon');
  await addLineageVersion(le, DOMAIN, 1, await ca.leaf('leaf-80d', [DOMAIN], -10, 80), ca);
  await addLineageVersion(soon, DOMAIN, 1, await ca.leaf('leaf-3d', [DOMAIN], -87, 3), ca);
  const nginx = async (name: string, conf: string, description: string, certs = le) => {
    const dir = join(work, name);
    const [httpPort, httpsPort] = [await freePort(), await freePort()];
    const path = await renderScenario(conf, dir, { httpPort, httpsPort, cert: join(certs, 'live', DOMAIN, 'fullchain.pem'), key: join(certs, 'live', DOMAIN, 'privkey.pem') });
    const running = await RunningNginx.start(path, dir, [httpPort, httpsPort]);
    try {
      await capture(name, description, {
        config: loopbackConfig({ httpsPort, httpPort, caFile: ca.certPath }),
        params: { nginxConf: path, certbot: { configDir: certs, workDir: join(dir, 'cw'), logsDir: join(dir, 'cl') } },
        checks: NGINX_CHECKS,
      });
    } finally {
      await running.stop();
    }
  };
  await nginx('nginx-hardened', 'good', 'real nginx, hardened: HSTS and the other headers, TLS 1.2+, HTTP→HTTPS, rate limits; certificate 80 days');
  await nginx('nginx-missing-hsts', 'missing-hsts', 'real nginx without Strict-Transport-Security');
  await nginx('nginx-tls-v1', 'tls-v1', 'real nginx with TLSv1 and TLSv1.1 enabled');
  await nginx('nginx-no-redirect', 'no-redirect', 'real nginx serving the app over plain HTTP');
  await nginx('certbot-expiring', 'good', 'real nginx and certbot lineage, certificate 3 days from expiry', soon);

  // sshd: the real `sshd -T` over the fixture configs (test/probes/host-real.test.ts)
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(work, 'hostkey')]);
  for (const [name, fixture, description] of [
    ['sshd-hardened', 'hardened.sshd_config', 'real sshd -T over a hardened config'],
    ['sshd-weak', 'weak.sshd_config', 'real sshd -T over a weak config (root login, passwords)'],
  ] as const) {
    const path = join(work, fixture);
    await writeFile(path, `${await readFile(hostFixturePath(`sshd/${fixture}`), 'utf8')}HostKey ${join(work, 'hostkey')}\n`);
    await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
    await capture(name, description, { config: ORDER_PROCESSING_PROFILE, params: { sshdConfig: path }, checks: ['security.ssh'] });
  }

  // the firewall and open ports of the machine that built the corpus (ufw, nft, iptables, ss)
  await capture('firewall-this-machine', 'this machine: the real ufw, nft, iptables and ss', { config: ORDER_PROCESSING_PROFILE, params: {}, checks: ['security.firewall', 'security.open-ports'] });
  await rm(work, { recursive: true, force: true });
  expect(true).toBe(true);
}, 300_000);
