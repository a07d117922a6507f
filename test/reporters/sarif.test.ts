/**
 * report.sarif against the SARIF 2.1.0 JSON schema (vendored: test/fixtures/sarif/SOURCES.md),
 * with Ajv's draft-04 class (the schema's dialect) and ajv-formats (uri, date-time, ...).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import AjvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { score } from '../../src/engine/scoring.js';
import type { Severity, Status } from '../../src/engine/types.js';
import { buildReport } from '../../src/reporters/model.js';
import { buildSarif, sarifLevel } from '../../src/reporters/sarif.js';
import { catalogResults, goldenReport, meta } from './fixture.js';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/sarif/sarif-schema-2.1.0-rtm.5.json'), 'utf8')) as Record<string, unknown>;
// unicodeRegExp: false — the schema's `language` pattern (`...-[a-zA-Z]{2}]?$`) has a stray `]`
// that is legal in a plain JavaScript regex but not with the `u` flag Ajv uses by default.
// Both packages are CommonJS with `exports.default`: under NodeNext the default import is the
// module object, and `.default` is the class / plugin (at run time too).
const ajv = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
AjvFormats.default(ajv);
const validate = ajv.compile(schema);

const errorsOf = (value: unknown): string[] => (validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`));

describe('SARIF 2.1.0', () => {
  it('the golden report validates against the schema', () => {
    expect(errorsOf(JSON.parse(JSON.stringify(buildSarif(goldenReport()))))).toEqual([]);
  });

  it('an incomplete run with every check failing validates too', () => {
    const all = catalogResults(() => 'fail');
    const r = buildReport({ meta: meta({ incomplete: true }), results: all, scores: score(all) });
    expect(errorsOf(JSON.parse(JSON.stringify(buildSarif(r))))).toEqual([]);
  });

  it('the validator does reject a broken log (the test can fail)', () => {
    const log = JSON.parse(JSON.stringify(buildSarif(goldenReport()))) as { runs: { results: { level: string }[] }[] };
    log.runs[0]!.results[0]!.level = 'fatal';
    expect(errorsOf(log).length).toBeGreaterThan(0);
  });

  it('has one rule per check and a result for every check that is not pass or n/a', () => {
    const report = goldenReport();
    const log = buildSarif(report);
    const run = log.runs[0]!;
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(report.results.map((r) => r.id));
    const open = report.results.filter((r) => r.status !== 'pass' && r.status !== 'n/a');
    expect(run.results.map((r) => r.ruleId)).toEqual(open.map((r) => r.id));
    for (const res of run.results) expect(run.tool.driver.rules[res.ruleIndex]!.id).toBe(res.ruleId);
    // a waived result is an accepted suppression, at the level of what the check found
    const waived = run.results.filter((r) => r.suppressions);
    expect(waived.map((r) => r.ruleId)).toEqual(report.waivers.applied.map((w) => w.check));
    expect(waived[0]!.suppressions![0]).toMatchObject({ kind: 'external', status: 'accepted' });
    expect(run.invocations).toHaveLength(1);
    expect(run.tool.driver.version).toBe('0.0.0-test');
  });

  it.each<[Severity, Status, string]>([
    ['critical', 'fail', 'error'],
    ['high', 'fail', 'error'],
    ['medium', 'fail', 'warning'],
    ['low', 'fail', 'note'],
    ['critical', 'warn', 'warning'],
    ['low', 'warn', 'note'],
    ['critical', 'unknown', 'warning'],
    ['medium', 'unknown', 'note'],
    ['high', 'manual', 'note'],
    ['critical', 'pass', 'none'],
    ['critical', 'n/a', 'none'],
  ])('sarifLevel(%s, %s) = %s', (severity, status, level) => {
    expect(sarifLevel(severity, status)).toBe(level);
  });
});
