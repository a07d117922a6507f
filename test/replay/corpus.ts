/**
 * The replay regression corpus (test/fixtures/replay/<scenario>/): capture bundles of real
 * integration scenarios — real nginx on loopback with certificates from a test CA, the real
 * certbot over a lineage, the real `sshd -T` over a fixture config, and this machine's own
 * firewall — each with `expected.json`, the verdicts its capture gave. corpus.test.ts replays
 * every bundle and compares: a change in any probe's parsing or any check's judgement shows
 * up as a diff. `npm run corpus:update` rebuilds them (update-corpus.ts); see docs/bundle-format.md.
 */
import { check as firewallCheck } from '../../src/checks/security/firewall/check.js';
import { check as openPortsCheck } from '../../src/checks/security/open-ports/check.js';
import { check as headersCheck } from '../../src/checks/security/nginx-headers/check.js';
import { check as tlsCheck } from '../../src/checks/security/nginx-tls/check.js';
import { check as rateCheck } from '../../src/checks/security/rate-limiting/check.js';
import { check as sshCheck } from '../../src/checks/security/ssh/check.js';
import { check as certCheck } from '../../src/checks/security/tls-certificate/check.js';
import { check as healthCheck } from '../../src/checks/monitoring/health-endpoint/check.js';
import { defineProbe } from '../../src/engine/define.js';
import type { RunOptions } from '../../src/engine/run.js';
import type { Check } from '../../src/engine/types.js';
import { collectCertbot } from '../../src/probes/host/certbot/probe.js';
import { collectNginx } from '../../src/probes/host/nginx/probe.js';
import { collectSshd } from '../../src/probes/host/sshd/probe.js';
import { PROBES } from '../../src/probes/index.js';
import { TIMER_RENEWAL } from '../fixtures/nginx/facts.js';

export const CORPUS_DIR = new URL('../fixtures/replay/', import.meta.url);

/** What a scenario's probes were pointed at (paths as they were at capture time). */
export interface ScenarioParams {
  nginxConf?: string;
  certbot?: { configDir: string; workDir: string; logsDir: string };
  sshdConfig?: string;
}

/** `expected.json`. */
export interface Expected {
  scenario: string;
  description: string;
  params: ScenarioParams;
  checks: string[];
  /** status by check id, for reading at a glance */
  statuses: Record<string, string>;
  /** what a replay must reproduce (evidence refs as entry identities: src/evidence/compare.ts) */
  comparable: unknown;
}

const ALL_CHECKS: readonly Check[] = [headersCheck, tlsCheck, rateCheck, certCheck, healthCheck, sshCheck, firewallCheck, openPortsCheck];

export function checksById(ids: readonly string[]): Check[] {
  return ids.map((id) => {
    const c = ALL_CHECKS.find((x) => x.meta.id === id);
    if (!c) throw new Error(`corpus: no check ${id} in corpus.ts`);
    return c;
  });
}

/** The probe registry of a scenario: the registry, with the probes pointed where the scenario said. */
export function scenarioProbes(p: ScenarioParams): RunOptions['probes'] {
  const { nginxConf, certbot, sshdConfig } = p;
  return {
    ...PROBES,
    ...(nginxConf !== undefined ? { 'host.nginx': defineProbe({ id: 'host.nginx', describe: 'nginx -T -c <scenario>', collect: (ctx) => collectNginx(ctx, nginxConf) }) } : {}),
    ...(certbot !== undefined
      ? {
          'host.certbot': defineProbe({ id: 'host.certbot', describe: 'certbot certificates --config-dir <fixture>', collect: (ctx) => collectCertbot(ctx, certbot) }),
          // this container has no systemd: renewal as a systemd VM with certbot.timer reports it
          'host.certbot-renewal': defineProbe({ id: 'host.certbot-renewal', describe: 'fixture: certbot.timer on a systemd host', collect: async () => ({ ok: true, value: TIMER_RENEWAL }) }),
        }
      : {}),
    ...(sshdConfig !== undefined ? { 'host.sshd': defineProbe({ id: 'host.sshd', describe: 'sshd -T -f <fixture>', collect: (ctx) => collectSshd(ctx, sshdConfig) }) } : {}),
  };
}
