/**
 * `predeploy init` end to end (in-process, this machine as the target, --offline): on the example
 * root it writes a predeploy.yaml that validates and that `assess` then uses unedited; it never
 * overwrites (exit 2, or --force with a .bak); `.env` files with planted canary secrets give their
 * resource names and nothing else — no canary in any output, the written files or the run folder.
 */
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseConfigText } from '../../src/config/loader.js';
import { parseAttestations } from '../../src/config/attestations.js';
import { cli } from '../helpers/cli.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function tempRoot(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'predeploy-init-'));
  dirs.push(d);
  return d;
}

async function allText(dir: string): Promise<string> {
  let text = '';
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    // the planted .env itself holds the canaries; everything predeploy wrote must not
    if (e.isFile() && !e.name.startsWith('.env')) text += await readFile(join(e.parentPath, e.name), 'utf8');
  }
  return text;
}

/** The JSON Schemas the package ships (schema/), as an editor would apply them. */
async function shippedSchema(name: string) {
  const schema = JSON.parse(await readFile(new URL(`../../schema/${name}`, import.meta.url), 'utf8')) as object;
  return new Ajv.default({ allErrors: true, strict: false }).compile(schema);
}

interface ReportJson {
  meta: { configSource: string | null };
  gaps: { item: string; dev: string; prod: string }[];
  discovered?: { path: string }[];
}

describe('predeploy init', () => {
  it('on the example root writes a valid predeploy.yaml that assess uses with no edits', async () => {
    const root = await tempRoot();
    await cp(new URL('../../examples/order-processing', import.meta.url), root, { recursive: true, filter: (src) => !src.includes('_codex_predeploy') });
    const r = await cli(['init', '--root', root, '--offline']);
    expect(r.code, r.stderr).toBe(0);
    const text = await readFile(join(root, 'predeploy.yaml'), 'utf8');
    const config = parseConfigText(text, 'predeploy.yaml');
    expect(config.azure.dev.keyVault).toBe('pippai-keyvault-dev');
    expect(text).toMatch(/keyVault: pippai-keyvault-dev {2}# discovered: Key Vault URL in KEY_VAULT_URL at \.env:5/);
    expect(text).toMatch(/prod: TBD {2}# TBD: /);
    // the example's own attestation file is left as it is
    expect(r.stderr).toMatch(/predeploy\.attest\.yaml exists; left as it is/);
    // the shipped JSON Schema accepts it as written
    const validate = await shippedSchema('predeploy.schema.json');
    expect(validate(parseYaml(text)), JSON.stringify(validate.errors)).toBe(true);
    const a = await cli(['assess', '--root', root, '--offline', '--quiet', '--run-id', 'after-init']);
    expect(a.code, a.stderr).toBe(0);
    // no config problem: the only line on stderr is the run folder
    expect(a.stderr.trim().split('\n')).toEqual([`predeploy: run after-init → ${join(root, '_codex_predeploy', 'after-init')}`]);
    const report = JSON.parse(await readFile(join(root, '_codex_predeploy', 'after-init', 'report.json'), 'utf8')) as ReportJson;
    expect(report.meta.configSource).toBe(join(root, 'predeploy.yaml'));
    expect(report.gaps.find((g) => g.item === 'Key Vault')?.dev).toBe('pippai-keyvault-dev');
  });

  it('never overwrites: exit 2; --force keeps the old file as .bak', async () => {
    const root = await tempRoot();
    await writeFile(join(root, 'predeploy.yaml'), 'profile: order-processing\n');
    const refused = await cli(['init', '--root', root, '--offline']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/already exists; nothing was written/);
    expect(await readFile(join(root, 'predeploy.yaml'), 'utf8')).toBe('profile: order-processing\n');
    const forced = await cli(['init', '--root', root, '--offline', '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(await readFile(join(root, 'predeploy.yaml.bak'), 'utf8')).toBe('profile: order-processing\n');
    parseConfigText(await readFile(join(root, 'predeploy.yaml'), 'utf8'), 'predeploy.yaml');
    // again with --force: the previous files are kept too, under the next free .bak name
    const written = await readFile(join(root, 'predeploy.yaml'), 'utf8');
    const attest = await readFile(join(root, 'predeploy.attest.yaml'), 'utf8');
    expect((await cli(['init', '--root', root, '--offline', '--force'])).code).toBe(0);
    expect(await readFile(join(root, 'predeploy.yaml.bak'), 'utf8')).toBe('profile: order-processing\n');
    expect(await readFile(join(root, 'predeploy.yaml.bak.1'), 'utf8')).toBe(written);
    expect(await readFile(join(root, 'predeploy.attest.yaml.bak'), 'utf8')).toBe(attest);
  });

  it('the attestation template signs nothing: commented items, placeholders refused when uncommented', async () => {
    const root = await tempRoot();
    expect((await cli(['init', '--root', root, '--offline'])).code).toBe(0);
    const template = await readFile(join(root, 'predeploy.attest.yaml'), 'utf8');
    expect(parseAttestations(template, 'predeploy.attest.yaml')).toEqual([]);
    const validate = await shippedSchema('predeploy.attest.schema.json');
    expect(validate(parseYaml(template) ?? {}), JSON.stringify(validate.errors)).toBe(true);
    const config = await shippedSchema('predeploy.schema.json');
    expect(config(parseYaml(await readFile(join(root, 'predeploy.yaml'), 'utf8'))), JSON.stringify(config.errors)).toBe(true);
    for (const id of ['golive.uat', 'golive.rollback', 'golive.window', 'golive.support-contacts', 'golive.dev-tests']) expect(template).toContain(`check: ${id}`);
    const uncommented = template.replace(/^# {0,1}(?=\s*(?:- check|by|date|evidence|expires):)/gm, '').replace(/^#(?= {2})/gm, '');
    expect(() => parseAttestations(uncommented.replace(/^#.*$/gm, ''), 'predeploy.attest.yaml')).toThrow(/date/);
  });

  it('.env canaries: names come out, secrets never do', async () => {
    const root = await tempRoot();
    const canaries = {
      account: 'CANARYaccountKEY0123456789abcdefABCDEF0123456789abcdefABCDEF0123456789abcdefAB==',
      cosmos: 'CANARYcosmosKEY9876543210zyxwvuZYXWVU9876543210zyxwvuZYXWVU9876543210zyxwvuZY==',
      zoho: '1000.CANARYzohoSECRET0123456789abcdef.0123456789abcdefCANARYZOHO',
      password: 'canary-bot-password-Q~9f8e7d6c5b4a3',
    };
    await writeFile(
      join(root, '.env.production'),
      [
        `AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=https;AccountName=pippaistorageprod;AccountKey=${canaries.account};EndpointSuffix=core.windows.net`,
        `COSMOS_CONNECTION_STRING=AccountEndpoint=https://pippai-cosmos-prod.documents.azure.com:443/;AccountKey=${canaries.cosmos};`,
        'KEY_VAULT_URL=https://pippai-keyvault-prod.vault.azure.net/',
        `ZOHO_REFRESH_TOKEN=${canaries.zoho}`,
        'ZOHO_ORGANIZATION_ID=20099887766',
        'MICROSOFT_APP_ID=5f2d4a1c-8b3e-4c6d-9a7f-1e2b3c4d5e6f',
        `MICROSOFT_APP_PASSWORD=${canaries.password}`,
        '',
      ].join('\n'),
    );
    // first without a config: discovery fills the run's values (and reads every .env line)
    const pre = await cli(['assess', '--root', root, '--offline', '--quiet', '--run-id', 'canary-no-config']);
    expect(pre.code, pre.stderr).toBe(0);
    const preConfig = await cli(['config', '--json', '--root', root, '--offline']);
    expect(preConfig.stdout).toContain('discovered: AccountName of a connection string in AZURE_STORAGE_CONNECTION_STRING at .env.production:1');
    const r = await cli(['init', '--root', root, '--offline']);
    expect(r.code, r.stderr).toBe(0);
    const text = await readFile(join(root, 'predeploy.yaml'), 'utf8');
    const config = parseConfigText(text, 'predeploy.yaml');
    expect(config.azure.prod).toMatchObject({ storageAccount: 'pippaistorageprod', cosmosAccount: 'pippai-cosmos-prod', keyVault: 'pippai-keyvault-prod' });
    expect(config.zoho.prod.orgId).toBe('20099887766');
    expect(config.bot.prod.appId).toBe('5f2d4a1c-8b3e-4c6d-9a7f-1e2b3c4d5e6f');
    expect(text).toMatch(/storageAccount: pippaistorageprod {2}# discovered: AccountName of a connection string in AZURE_STORAGE_CONNECTION_STRING at \.env\.production:1/);
    const a = await cli(['assess', '--root', root, '--offline', '--quiet', '--run-id', 'canary', '--timings']);
    expect(a.code, a.stderr).toBe(0);
    // assess uses the written file as it is: the prod names init discovered are the run's names
    const report = JSON.parse(await readFile(join(root, '_codex_predeploy', 'canary', 'report.json'), 'utf8')) as ReportJson;
    expect(report.meta.configSource).toBe(join(root, 'predeploy.yaml'));
    expect(report.gaps.find((g) => g.item === 'Key Vault')?.prod).toBe('pippai-keyvault-prod');
    expect(report.gaps.find((g) => g.item === 'Storage account')?.prod).toBe('pippaistorageprod');
    expect(report.discovered ?? []).toEqual([]);
    const shown = await cli(['config', '--root', root, '--offline']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(a.stderr).toMatch(/timings: start-up \d+ ms, config \d+ ms, setup \d+ ms, discovery \d+ ms, probes \d+ ms, checks \d+ ms, reporters \d+ ms, write \d+ ms/);
    const everything = [pre.stdout, pre.stderr, preConfig.stdout, preConfig.stderr, r.stdout, r.stderr, a.stdout, a.stderr, shown.stdout, shown.stderr, text, await allText(root)].join('\n');
    for (const c of Object.values(canaries)) {
      expect(everything).not.toContain(c);
      expect(everything).not.toContain(c.slice(6, 30));
    }
  });

  it('assess without a config shows discovered values with their source in the report', async () => {
    const root = await tempRoot();
    await writeFile(join(root, '.env.production'), 'KEY_VAULT_URL=https://pippai-keyvault-prod.vault.azure.net/\n');
    const a = await cli(['assess', '--root', root, '--offline', '--quiet', '--run-id', 'disc']);
    expect(a.code, a.stderr).toBe(0);
    const md = await readFile(join(root, '_codex_predeploy', 'disc', '13_PRODUCTION_DEPLOY_REPORT.md'), 'utf8');
    expect(md).toContain('| `azure.prod.keyVault` | `pippai-keyvault-prod` | discovered: Key Vault URL in KEY_VAULT_URL at .env.production:1 |');
    const json = JSON.parse(await readFile(join(root, '_codex_predeploy', 'disc', 'report.json'), 'utf8')) as { discovered?: { path: string }[] };
    expect(json.discovered?.map((d) => d.path)).toContain('azure.prod.keyVault');
    // with --no-discovery the value stays TBD
    const b = await cli(['assess', '--root', root, '--offline', '--quiet', '--run-id', 'nodisc', '--no-discovery']);
    expect(b.code).toBe(0);
    expect(await readFile(join(root, '_codex_predeploy', 'nodisc', '13_PRODUCTION_DEPLOY_REPORT.md'), 'utf8')).not.toContain('Discovered configuration');
  });

  it('assess with a config reports a conflict with discovery, and the config wins', async () => {
    const root = await tempRoot();
    await writeFile(join(root, '.env.production'), 'KEY_VAULT_URL=https://pippai-keyvault-prod.vault.azure.net/\n');
    await writeFile(join(root, 'predeploy.yaml'), 'azure:\n  prod:\n    keyVault: another-vault-prod\n');
    const a = await cli(['assess', '--root', root, '--offline', '--quiet', '--run-id', 'conf']);
    expect(a.code, a.stderr).toBe(0);
    const json = JSON.parse(await readFile(join(root, '_codex_predeploy', 'conf', 'report.json'), 'utf8')) as { notes: string[] };
    expect(json.notes.join('\n')).toMatch(/discovery disagrees with .*predeploy\.yaml on azure\.prod\.keyVault: configured another-vault-prod, this machine shows pippai-keyvault-prod .*the configuration wins/);
  });
});
