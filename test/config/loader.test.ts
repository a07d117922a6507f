import { mkdtemp, readFile, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { deepMerge, parseConfigText, schemaKeysAt } from '../../src/config/loader.js';
import { ORDER_PROCESSING_PROFILE } from '../../src/config/profile.js';
import { ConfigError, EXIT } from '../../src/engine/errors.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/config/', import.meta.url));
const fixture = (name: string) => join(FIXTURES, `${name}.yaml`);

async function errorOf(name: string): Promise<ConfigError> {
  const file = fixture(name);
  try {
    parseConfigText(await readFile(file, 'utf8'), file);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error(`${name}: expected a ConfigError`);
}

function errorOfText(text: string, file = 'predeploy.yaml'): ConfigError {
  try {
    parseConfigText(text, file);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfigText: fixtures', () => {
  it('valid-override: merges over the profile (objects by key, arrays replace)', async () => {
    const c = parseConfigText(await readFile(fixture('valid-override'), 'utf8'), 'x.yaml');
    expect(c.domain).toEqual({ dev: 'processing.pippaoflondon.co.uk', prod: 'orders.pippaoflondon.co.uk', connectTo: '127.0.0.1:8443', healthPath: '/health' });
    expect(c.azure.prod.keyVault).toBe('pippai-keyvault-prod');
    expect(c.azure.prod.resourceGroup).toBe('TBD'); // untouched sibling kept from the profile
    expect(c.azure.dev).toEqual(ORDER_PROCESSING_PROFILE.azure.dev);
    expect(c.host.allowedPublicPorts).toEqual([80, 443]); // replaced, not concatenated
    expect(c.host.requiredJails).toEqual(['sshd']);
    expect(c.notApplicable).toEqual({ 'bot.decision': 'one registration for dev and prod, decided in OPS-12' });
  });

  it('does not mutate or share the built-in profile', async () => {
    const before = JSON.stringify(ORDER_PROCESSING_PROFILE);
    const c = parseConfigText(await readFile(fixture('valid-override'), 'utf8'), 'x.yaml');
    c.services.push('extra');
    expect(JSON.stringify(ORDER_PROCESSING_PROFILE)).toBe(before);
  });

  it.each(['empty', 'comments-only'])('%s: the built-in profile', async (name) => {
    expect(parseConfigText(await readFile(fixture(name), 'utf8'), 'x.yaml')).toEqual(ORDER_PROCESSING_PROFILE);
  });

  // Each case: the fixture, the exact message after the file name.
  const cases: [string, RegExp][] = [
    ['syntax-error', /^:3:9: YAML syntax error: nested mappings are not allowed in compact mappings$/],
    ['unknown-nested-key', /^:4:5: unknown key "keyVualt" in azure\.prod \(did you mean "keyVault"\?\)$/],
    ['bad-type', /^:3:15: azure\.prod\.keyVault: expected a string, got a whole number$/],
    ['duplicate-key', /^:4:3: duplicate key "prod" in domain \(first defined on line 2\)$/],
    ['bad-profile', /^:1:10: profile: unknown profile; built-in profiles: order-processing$/],
    ['top-level-list', /^:1:1: the top level must be a mapping of settings/],
    ['bad-enum', /^:2:15: zoho\.dataCenter: expected one of "com", "eu", "in", "com\.au", "jp", "ca", "sa", "uk"$/],
    ['null-section', /^:2:1: notApplicable: expected a mapping \(key: value lines\), got an empty value$/],
    ['proto-key', /^:1:1: unknown key "__proto__" at top level$/],
    ['canary-unknown-key', /^:4:5: unknown key "clientSecretValue" in zoho\.prod$/],
    ['canary-bad-type', /^:5:9: bot\.prod\.secret\.keyVaultSecret: expected a string, got a list$/],
  ];
  it.each(cases)('%s: one line file:line:col', async (name, re) => {
    const err = await errorOf(name);
    expect(err.exitCode).toBe(EXIT.badInput);
    expect(err.message.startsWith(fixture(name))).toBe(true);
    expect(err.message.slice(fixture(name).length)).toMatch(re);
    expect(err.message).not.toContain('\n');
  });

  it.each(['canary-unknown-key', 'canary-bad-type'])('%s: the value is never in the message', async (name) => {
    const err = await errorOf(name);
    expect(err.message).not.toContain('CANARY');
  });

  it('does not let __proto__ change any prototype', async () => {
    await errorOf('proto-key');
    expect(Reflect.get({}, 'polluted')).toBeUndefined();
  });
});

describe('parseConfigText: inline cases', () => {
  const cases: [string, string, RegExp][] = [
    ['unknown top-level key with suggestion', 'servcies: [a]\n', /^f\.yaml:1:1: unknown key "servcies" at top level \(did you mean "services"\?\)$/],
    ['case-only typo', 'azure:\n  prod:\n    keyvault: x\n', /unknown key "keyvault" in azure\.prod \(did you mean "keyVault"\?\)$/],
    ['far-off key: no suggestion', 'azure:\n  prod:\n    kv: x\n', /unknown key "kv" in azure\.prod$/],
    ['array item type', 'host:\n  allowedPublicPorts: [22, "http"]\n', /^f\.yaml:2:28: host\.allowedPublicPorts\[1\]: expected a number, got a string$/],
    ['fractional port', 'host:\n  allowedPublicPorts: [22.5]\n', /host\.allowedPublicPorts\[0\]: expected a whole number, got a number with a fraction$/],
    ['number too big', 'host:\n  allowedPublicPorts: [70000]\n', /host\.allowedPublicPorts\[0\]: must be at most 65535$/],
    ['empty list', 'services: []\n', /^f\.yaml:1:11: services: must list at least 1 item$/],
    ['empty string', 'domain:\n  prod: ""\n', /^f\.yaml:2:9: domain\.prod: must not be empty$/],
    ['bad url', 'azure:\n  armEndpoint: not a url\n', /azure\.armEndpoint: expected a URL such as https:\/\/host\.example$/],
    ['prefix', 'domain:\n  healthPath: health\n', /domain\.healthPath: must start with "\/"$/],
    ['bad record key', 'notApplicable:\n  Not An Id: reason\n', /^f\.yaml:2:3: notApplicable: key "Not An Id" has the wrong format \(must match \/\^\[a-z\]\+\\\.\[a-z0-9-\]\+\$\/\)$/],
    ['empty reason', 'notApplicable:\n  bot.decision: ""\n', /^f\.yaml:2:17: notApplicable\["bot\.decision"\]: must not be empty$/],
    ['non-scalar key', '? [a, b]\n: 1\n', /^f\.yaml:1:3: top level: keys must be plain strings$/],
    ['null key', 'domain:\n  : x\n', /^f\.yaml:2:3: domain: keys must be plain strings$/],
    ['duplicate key in a flow map', 'domain: { prod: a, prod: b }\n', /^f\.yaml:1:20: duplicate key "prod" in domain \(first defined on line 1\)$/],
    ['object where a string belongs', 'profile:\n  name: x\n', /^f\.yaml:2:3: profile: expected a string$/],
    ['top-level scalar', 'just words\n', /^f\.yaml:1:1: the top level must be a mapping/],
    ['tab indentation', 'domain:\n\tprod: x\n', /^f\.yaml:2:1: YAML syntax error: tabs are not allowed as indentation$/],
    ['two documents', 'a: 1\n---\nb: 2\n', /^f\.yaml:2:1: YAML syntax error: only one YAML document/],
    ['undefined alias', 'domain:\n  prod: *nope\n', /^f\.yaml:2:9: domain\.prod: alias refers to an anchor that is not defined before it$/],
    [
      'several problems: every one, in file order, one line each',
      'zz: 1\nservices: []\nyy: 2\n',
      /^f\.yaml:1:1: unknown key "zz" at top level\nf\.yaml:2:11: services: must list at least 1 item\nf\.yaml:3:1: unknown key "yy" at top level$/,
    ],
  ];
  it.each(cases)('%s', (_name, text, re) => {
    expect(errorOfText(text, 'f.yaml').message).toMatch(re);
  });

  it('unterminated quote points at the opening quote, and never quotes the value', () => {
    const err = errorOfText('domain:\n  prod: "s3cr3t-CANARY\n  healthPath: /h\n', 'f.yaml');
    expect(err.message).toMatch(/^f\.yaml:2:9: YAML syntax error: missing closing "quote$/);
    expect(err.message).not.toContain('CANARY');
  });

  it('yaml messages that quote source are re-worded from their code', () => {
    const err = errorOfText('domain:\n  prod: "bad \\q CANARY"\n', 'f.yaml');
    expect(err.message).toBe('f.yaml:2:14: YAML syntax error: invalid escape sequence in a double-quoted string');
  });

  it('a key that looks like a secret is not echoed', () => {
    const key = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLWNhbmFyeQ';
    const err = errorOfText(`${key}: x\n`, 'f.yaml');
    expect(err.message).toBe('f.yaml:1:1: unknown key <key not shown: it looks like a secret value> at top level');
  });

  it('anchors and aliases work', () => {
    const c = parseConfigText('azure:\n  dev: &env\n    keyVault: kv-shared\n  prod: *env\n', 'f.yaml');
    expect(c.azure.prod.keyVault).toBe('kv-shared');
    expect(c.azure.prod.resourceGroup).toBe('TBD');
  });

  it('azure.prod.shareWithDev: default [], a list of kinds, a misspelt kind rejected with did-you-mean', () => {
    expect(parseConfigText('~\n', 'f.yaml').azure.prod.shareWithDev).toEqual([]);
    expect(parseConfigText('azure:\n  prod:\n    shareWithDev: [keyVault, cosmosAccount]\n', 'f.yaml').azure.prod.shareWithDev).toEqual(['keyVault', 'cosmosAccount']);
    expect(errorOfText('azure:\n  prod:\n    shareWithDev: [keyVault, cosmosAcount]\n', 'f.yaml').message).toBe(
      'f.yaml:3:30: azure.prod.shareWithDev[1]: expected one of "keyVault", "storageAccount", "cosmosAccount", "resourceGroup" (did you mean "cosmosAccount"?)',
    );
    // vm and botName are not shareable (the bot shares through bot.registration: same)
    expect(errorOfText('azure:\n  prod:\n    shareWithDev: [vm]\n', 'f.yaml').message).toMatch(/azure\.prod\.shareWithDev\[0\]: expected one of "keyVault", "storageAccount", "cosmosAccount", "resourceGroup"$/);
    expect(errorOfText('azure:\n  dev:\n    shareWithDev: [keyVault]\n', 'f.yaml').message).toMatch(/unknown key "shareWithDev" in azure\.dev$/);
  });

  it('a null document is the built-in profile', () => {
    expect(parseConfigText('~\n', 'f.yaml')).toEqual(ORDER_PROCESSING_PROFILE);
  });
});

describe('loadConfig', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'predeploy-config-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('no predeploy.yaml in the root: the built-in profile, source null', async () => {
    const r = await loadConfig({ root });
    expect(r).toEqual({ config: ORDER_PROCESSING_PROFILE, source: null, provenance: new Map() });
  });

  it('<root>/predeploy.yaml when present', async () => {
    const file = join(root, 'predeploy.yaml');
    await writeFile(file, 'domain:\n  prod: orders.example.com\n');
    const r = await loadConfig({ root });
    expect(r.source).toBe(file);
    expect(r.config.domain.prod).toBe('orders.example.com');
    await rm(file);
  });

  it('--config must exist', async () => {
    const missing = join(root, 'nope.yaml');
    await expect(loadConfig({ root, configPath: missing })).rejects.toThrow(new ConfigError(`${missing}: not found`));
  });

  it('--config wins over the root file, errors are located in it', async () => {
    await writeFile(join(root, 'predeploy.yaml'), 'domain:\n  prod: root.example.com\n');
    const r = await loadConfig({ root, configPath: fixture('valid-override') });
    expect(r.source).toBe(fixture('valid-override'));
    expect(r.config.domain.prod).toBe('orders.pippaoflondon.co.uk');
    await expect(loadConfig({ root, configPath: fixture('bad-type') })).rejects.toThrow(/bad-type\.yaml:3:15: azure\.prod\.keyVault/);
  });

  it('a directory is not readable as a config', async () => {
    await expect(loadConfig({ root, configPath: root })).rejects.toThrow(/: cannot read \(EISDIR\)/);
  });
});

describe('helpers', () => {
  it('deepMerge: objects by key, arrays and scalars replace, null replaces', () => {
    expect(deepMerge({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] }, d: null })).toEqual({ a: { b: 1, c: [3] }, d: null });
  });
  it('schemaKeysAt lists optional keys too', () => {
    expect(schemaKeysAt(['domain'])).toEqual(['dev', 'prod', 'connectTo', 'connectToHttp', 'caFile', 'healthPath']);
    expect(schemaKeysAt(['zoho', 'prod', 'clientId'])).toEqual(['env', 'keyVaultSecret']);
    expect(schemaKeysAt(['notApplicable'])).toEqual([]);
  });
  it('schemaKeysAt goes through list items (waivers[0])', () => {
    expect(schemaKeysAt(['waivers', 0])).toEqual(['check', 'reason', 'approver', 'expires']);
    expect(schemaKeysAt(['zoho', 'throttle'])).toEqual(['perMinute', 'perDay', 'concurrency']);
  });
});

describe('every problem at once, each located, did-you-mean at any depth', () => {
  const IDS = ['security.fail2ban', 'security.firewall', 'golive.uat', 'zoho.webhooks'];
  const text = [
    'domain:', //                                   1
    '  prod: orders.example.com',
    '  helthPath: /health', //                      3: typo, depth 2
    'zoho:',
    '  throttle:',
    '    perMinut: 50', //                          6: typo, depth 3
    'bot:',
    '  prod:',
    '    secret:',
    '      keyVaultSecrt: bot-secret', //           10: typo, depth 4
    'waivers:',
    '  - check: security.fail2bn', //               12: unknown check id
    '    reason: r',
    '    aprover: a', //                            14: typo inside a list item
    '    expires: 2026-12-31',
    'notApplicable:',
    '  zoho.webhook: no webhooks', //               17: unknown check id
    'domain2: x', //                                18: unknown top-level key, far from any
    '',
  ].join('\n');

  it('lists every problem in file order with file:line:col and the nearest key or check id', () => {
    let message = '';
    try {
      parseConfigText(text, 'p.yaml', { checkIds: IDS });
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      message = err.message;
      expect(err.exitCode).toBe(EXIT.badInput);
    }
    expect(message.split('\n')).toEqual([
      'p.yaml:3:3: unknown key "helthPath" in domain (did you mean "healthPath"?)',
      'p.yaml:6:5: unknown key "perMinut" in zoho.throttle (did you mean "perMinute"?)',
      'p.yaml:10:7: unknown key "keyVaultSecrt" in bot.prod.secret (did you mean "keyVaultSecret"?)',
      'p.yaml:12:5: waivers[0]: missing required key "approver" (a string)',
      'p.yaml:12:12: waivers[0].check: no check "security.fail2bn" (did you mean "security.fail2ban"?)',
      'p.yaml:14:5: unknown key "aprover" in waivers[0] (did you mean "approver"?)',
      'p.yaml:17:3: notApplicable: no check "zoho.webhook" (did you mean "zoho.webhooks"?)',
      'p.yaml:18:1: unknown key "domain2" at top level (did you mean "domain"?)',
    ]);
  });

  it('a duplicate key is listed with the schema problems, not instead of them', () => {
    expect(() => parseConfigText('domain:\n  prod: a\n  prod: b\nservices: []\n', 'd.yaml')).toThrow(
      new ConfigError('d.yaml:3:3: duplicate key "prod" in domain (first defined on line 2)\nd.yaml:4:11: services: must list at least 1 item'),
    );
  });

  it('check ids are only checked when the caller passes them; known ids pass', () => {
    const ok = 'notApplicable:\n  zoho.webhooks: none\n';
    expect(parseConfigText(ok, 'n.yaml', { checkIds: IDS }).notApplicable).toEqual({ 'zoho.webhooks': 'none' });
    expect(parseConfigText('notApplicable:\n  zoho.nothing: x\n', 'n.yaml').notApplicable).toEqual({ 'zoho.nothing': 'x' });
  });

});
