/**
 * The configuration reference and JSON Schemas are generated from the zod schemas: the committed
 * files must be current, every key must say what it means, and the JSON Schemas must accept every
 * example YAML in the repository and refuse a misspelt key (with Ajv, as an editor would).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Ajv from 'ajv';
import AjvFormats from 'ajv-formats';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/index.js';
import { parseAttestations } from '../../src/config/attestations.js';
import { parseConfigText } from '../../src/config/loader.js';
import { attestationJsonSchema, configJsonSchema, referenceRows, REFERENCE_FILES, renderConfigReference } from '../../src/config/reference.js';

const ROOT = join(import.meta.dirname, '../..');
const read = (rel: string) => readFileSync(join(ROOT, rel), 'utf8');
const checkIds = CHECKS.map((c) => c.meta.id);

const ajv = new Ajv.default({ allErrors: true, strict: true });
AjvFormats.default(ajv);
const validateConfig = ajv.compile(configJsonSchema());
const validateAttest = ajv.compile(attestationJsonSchema());

/** Every YAML file under examples/, and the valid fixtures the loader tests use. */
function exampleYamls(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((d) =>
      d.isDirectory() ? walk(join(dir, d.name)) : /\.ya?ml$/.test(d.name) ? [join(dir, d.name)] : [],
    );
  return [...walk('examples'), 'test/fixtures/config/valid-override.yaml', 'test/fixtures/config/attest/good.yaml'];
}
const isAttest = (file: string) => /attest/.test(file);

describe('generated files are current (npm run docs:config)', () => {
  it.each([
    [REFERENCE_FILES.configSchema, () => `${JSON.stringify(configJsonSchema(), null, 2)}\n`],
    [REFERENCE_FILES.attestationSchema, () => `${JSON.stringify(attestationJsonSchema(), null, 2)}\n`],
    [REFERENCE_FILES.docs, () => renderConfigReference({ example: read(REFERENCE_FILES.example) })],
  ])('%s', (rel, render) => {
    expect(read(rel), `${rel} is stale: run npm run build && npm run docs:config`).toBe(render());
  });

  it('the schemas ship in the package', () => {
    const pkg = JSON.parse(read('package.json')) as { files: string[] };
    expect(pkg.files).toContain('schema');
  });
});

describe('every key is documented', () => {
  const rows = [...referenceRows(configJsonSchema()), ...referenceRows(attestationJsonSchema())];
  it('covers the keys at every depth', () => {
    const keys = rows.map((r) => r.key);
    for (const k of ['profile', 'azure.prod.keyVault', 'zoho.prod.clientSecret.keyVaultSecret', 'zoho.throttle.perDay', 'bot.prod.appType', 'waivers[].expires', 'attestations[].evidence']) {
      expect(keys).toContain(k);
    }
  });
  it.each(rows.map((r) => [r.key, r.description] as const))('%s has a description', (_key, description) => {
    expect(description.length).toBeGreaterThan(5);
  });
});

describe('the JSON Schemas validate the examples', () => {
  const files = exampleYamls();

  it('finds the production example and the example project files', () => {
    expect(files).toContain(REFERENCE_FILES.example);
    expect(files).toContain('examples/order-processing/predeploy.attest.yaml');
  });

  it.each(files.map((f) => [f]))('%s is valid, for the JSON Schema and for predeploy itself', (file) => {
    const text = read(file);
    const value: unknown = parse(text);
    const validate = isAttest(file) ? validateAttest : validateConfig;
    expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
    if (isAttest(file)) expect(() => parseAttestations(text, file, { checkIds })).not.toThrow();
    else expect(() => parseConfigText(text, file, { checkIds })).not.toThrow();
  });

  it.each(files.filter((f) => f.startsWith('examples/')).map((f) => [f]))('%s names its schema for editors on line 1', (file) => {
    const first = read(file).split('\n')[0] ?? '';
    const m = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
    expect(m, first).not.toBeNull();
    const target = relative(ROOT, join(ROOT, file, '..', m![1]!));
    expect(target).toBe(isAttest(file) ? REFERENCE_FILES.attestationSchema : REFERENCE_FILES.configSchema);
  });

  it('rejects a misspelt key at any depth, naming where it is', () => {
    const prod = parse(read(REFERENCE_FILES.example)) as { azure: { prod: Record<string, unknown> } };
    const { keyVault, ...rest } = prod.azure.prod;
    prod.azure.prod = { ...rest, keyVualt: keyVault };
    expect(validateConfig(prod)).toBe(false);
    expect(validateConfig.errors).toContainEqual(
      expect.objectContaining({ instancePath: '/azure/prod', keyword: 'additionalProperties', params: { additionalProperty: 'keyVualt' } }),
    );
    expect(validateConfig({ profile: 'order-processing', servics: [] })).toBe(false);
    expect(validateAttest({ attestations: [{ check: 'golive.uat', by: 'x', date: '2026-11-20', evidnce: 'y' }] })).toBe(false);
  });

  it('rejects a wrong value kind and an unknown enum value', () => {
    expect(validateConfig({ host: { allowedPublicPorts: ['http'] } })).toBe(false);
    expect(validateConfig({ zoho: { dataCenter: 'mars' } })).toBe(false);
    expect(validateConfig({ waivers: [{ check: 'security.ssh', reason: 'r', approver: 'a' }] })).toBe(false); // expires is required in an item
  });

  it('accepts a partial file: every key is optional, the profile fills the rest', () => {
    expect(validateConfig({ domain: { prod: 'orders.example.com' } })).toBe(true);
    expect(validateConfig({})).toBe(true);
  });
});
