import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHECK_ID, isIsoDate, parseAttestations } from '../../src/config/attestations.js';
import { ConfigError } from '../../src/engine/errors.js';

const DIR = fileURLToPath(new URL('../fixtures/config/attest/', import.meta.url));
const read = (name: string) => readFileSync(`${DIR}${name}.yaml`, 'utf8');

function messageOf(text: string, file = 'a.yaml'): string {
  try {
    parseAttestations(text, file);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('parseAttestations', () => {
  it('good: items with their line, expires optional, quoted dates accepted', () => {
    expect(parseAttestations(read('good'), 'good.yaml')).toEqual([
      { check: 'golive.uat', by: 'Jane Doe (operations lead)', date: '2026-11-20', evidence: 'https://tickets.example/OPS-123 (UAT sign-off)', line: 3 },
      { check: 'golive.window', by: 'Sam Roe', date: '2026-11-21', evidence: 'change record CHG-9', expires: '2026-12-01', line: 7 },
    ]);
  });

  it.each([
    ['bad-date', 'bad-date.yaml:4:11: attestations[0].date: expected a date written YYYY-MM-DD (e.g. 2026-11-20)'],
    ['bad-id', 'bad-id.yaml:6:12: attestations[1].check: expected a check id such as "golive.uat" (section.kebab-name)'],
    [
      'unknown-key',
      'unknown-key.yaml:2:5: attestations[0]: missing required key "evidence" (a string)\nunknown-key.yaml:5:5: unknown key "evidnce" in attestations[0] (did you mean "evidence"?)',
    ],
  ])('%s → every problem, one located line each', (name, expected) => {
    expect(messageOf(read(name), `${name}.yaml`)).toBe(expected);
  });

  const inline: [string, string, string][] = [
    ['missing field', 'attestations:\n  - check: golive.uat\n    by: x\n    date: 2026-11-20\n', 'a.yaml:2:5: attestations[0]: missing required key "evidence" (a string)'],
    ['empty by', 'attestations:\n  - check: golive.uat\n    by: "  "\n    date: 2026-11-20\n    evidence: y\n', 'a.yaml:3:9: attestations[0].by: must not be empty'],
    ['expires before date', 'attestations:\n  - { check: golive.uat, by: x, date: 2026-11-20, evidence: y, expires: 2026-11-01 }\n', 'a.yaml:2:73: attestations[0].expires: expires must not be before date'],
    ['not a list', 'attestations: golive.uat\n', 'a.yaml:1:15: attestations: expected a list, got a string'],
    ['wrong top-level key', 'attestation:\n  - check: golive.uat\n', 'a.yaml:1:1: unknown key "attestation" at top level (did you mean "attestations"?)\na.yaml:1:1: (top level): missing required key "attestations" (a list)'],
    ['top level list', '- check: golive.uat\n', 'a.yaml:1:1: the top level must be a mapping with an "attestations:" list'],
    ['syntax', 'attestations:\n  - check: "golive.uat\n', 'a.yaml:2:12: YAML syntax error: missing closing "quote'],
    ['date as a number', 'attestations:\n  - { check: golive.uat, by: x, date: 20261120, evidence: y }\n', 'a.yaml:2:39: attestations[0].date: expected a string, got a whole number'],
  ];
  it.each(inline)('%s', (_name, text, expected) => {
    expect(messageOf(text)).toBe(expected);
  });

  it('an attestation naming no check is a located problem with the nearest id (when ids are given)', () => {
    const text = 'attestations:\n  - { check: golive.uta, by: x, date: 2026-11-20, evidence: y }\n  - { check: golive.window, by: x, date: 2026-11-20, evidence: y }\n';
    expect(() => parseAttestations(text, 'a.yaml', { checkIds: ['golive.uat', 'golive.window'] })).toThrow(
      new ConfigError('a.yaml:2:14: attestations[0].check: no check "golive.uta" (did you mean "golive.uat"?)'),
    );
    expect(parseAttestations(text, 'a.yaml')).toHaveLength(2);
  });

  it('never quotes a value in an error', () => {
    const msg = messageOf('attestations:\n  - check: golive.uat\n    by: x\n    date: 2026-11-20\n    evidence: y\n    token: CANARY-abc123\n');
    expect(msg).toMatch(/unknown key "token" in attestations\[0\]$/);
    expect(msg).not.toContain('CANARY');
  });

  it('empty file, or a bare attestations: key, means none', () => {
    expect(parseAttestations('', 'a.yaml')).toEqual([]);
    expect(parseAttestations('# nothing yet\n', 'a.yaml')).toEqual([]);
    expect(parseAttestations('attestations:\n  # - check: golive.uat\n', 'a.yaml')).toEqual([]);
  });
});

describe('helpers', () => {
  it.each([
    ['2026-11-20', true],
    ['2024-02-29', true],
    ['2026-02-29', false],
    ['2026-13-01', false],
    ['2026-1-01', false],
    ['20-11-2026', false],
    ['2026-11-20T00:00:00Z', false],
  ])('isIsoDate(%s) = %s', (s, ok) => {
    expect(isIsoDate(s)).toBe(ok);
  });
  it.each([
    ['golive.uat', true],
    ['secrets.in-key-vault', true],
    ['golive', false],
    ['golive.Uat', false],
    ['golive.-uat', false],
    ['golive.uat-', false],
    ['a.b.c', false],
  ])('CHECK_ID %s = %s', (s, ok) => {
    expect(CHECK_ID.test(s)).toBe(ok);
  });
});
