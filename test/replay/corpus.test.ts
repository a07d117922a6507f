/**
 * Replays every bundle of the regression corpus (test/fixtures/replay/) and compares with the
 * verdicts its capture gave (expected.json). A diff here means a probe or a check now judges
 * the same evidence differently: if that is intended, run `npm run corpus:update` and review
 * the change to expected.json in the commit.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBundle, readBundleFiles } from '../../src/evidence/bundle.js';
import { replayInputs } from '../../src/evidence/capture.js';
import { comparableRun } from '../../src/evidence/compare.js';
import { runAssessment } from '../../src/engine/run.js';
import { verifyFiles } from '../../src/evidence/verify.js';
import { Redactor } from '../../src/safety/redactor.js';
import { CORPUS_DIR, checksById, scenarioProbes, type Expected } from './corpus.js';

const root = fileURLToPath(CORPUS_DIR);
const scenarios = readdirSync(root).filter((d) => statSync(join(root, d)).isDirectory()).sort();

describe('replay regression corpus', () => {
  it('holds the scenarios the issue names (nginx hardened and misconfigured, sshd, firewall, certbot)', () => {
    expect(scenarios).toEqual(expect.arrayContaining(['nginx-hardened', 'nginx-missing-hsts', 'nginx-tls-v1', 'certbot-expiring', 'sshd-hardened', 'sshd-weak', 'firewall-this-machine']));
  });

  it('covers hardened and misconfigured states: its expected verdicts differ where the scenarios do', () => {
    const status = (name: string, id: string) => (JSON.parse(readFileSync(join(root, name, 'expected.json'), 'utf8')) as Expected).statuses[id];
    expect([status('nginx-hardened', 'security.nginx-headers'), status('nginx-missing-hsts', 'security.nginx-headers')]).toEqual(['pass', 'fail']);
    expect([status('nginx-hardened', 'security.nginx-tls'), status('nginx-tls-v1', 'security.nginx-tls'), status('nginx-no-redirect', 'security.nginx-tls')]).toEqual(['pass', 'fail', 'fail']);
    expect([status('nginx-hardened', 'security.tls-certificate'), status('certbot-expiring', 'security.tls-certificate')]).toEqual(['pass', 'fail']);
    expect([status('sshd-hardened', 'security.ssh'), status('sshd-weak', 'security.ssh')]).toEqual(['pass', 'fail']);
    expect(status('firewall-this-machine', 'security.firewall')).toMatch(/^(pass|warn|fail)$/);
  });

  it.each(scenarios)('%s replays to the verdicts its capture gave', async (name) => {
    const dir = join(root, name);
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected;
    const files = await readBundleFiles(join(dir, 'bundle'));
    // the bundle is intact (SHA256SUMS)
    expect(verifyFiles(files).problems.filter((p) => /SHA256SUMS|SHA-256/.test(p))).toEqual([]);
    const bundle = parseBundle(files, dir);
    const checks = checksById(expected.checks);
    const run = await runAssessment({
      checks,
      configSource: null,
      redactor: new Redactor(),
      signal: new AbortController().signal,
      ...replayInputs(bundle, scenarioProbes(expected.params)),
    });
    expect(Object.fromEntries(run.results.map((r) => [r.id, r.status]))).toEqual(expected.statuses);
    expect(new Redactor().redactDeep(comparableRun(run, run.log.entries()))).toEqual(expected.comparable);
  });
});
