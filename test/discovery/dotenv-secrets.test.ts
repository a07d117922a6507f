/**
 * Discovery reads the `.env` files for resource names and registers their secrets with the
 * redactor exactly as the project.env probe does: a secret value (and its long lines) is
 * registered, an ordinary word behind a secret-like name (`AZURE_CREDENTIAL=environment`) is not
 * (it would be redacted from every output of the run).
 */
import { describe, expect, it } from 'vitest';
import { collectEnvNames } from '../../src/probes/discovery/dotenv.js';
import { envProbe } from '../../src/probes/project/env/probe.js';
import { fakeContext } from '../helpers/fake-context.js';

const ENV = [
  'AZURE_CREDENTIAL=environment',
  'ZOHO_CLIENT_SECRET=zs-9f8e7d6c5b4a39281706f5e4d3c2b1a0',
  'KEY_VAULT_URL=https://pippai-keyvault-prod.vault.azure.net/',
  '',
].join('\n');

describe('discovery registers .env secrets like project.env', () => {
  it('the same values are registered by both, and an ordinary word is not', async () => {
    const files = { '/data/order-processing/.env': ENV };
    const discovery = fakeContext({ files });
    const probe = fakeContext({ files });
    expect((await collectEnvNames(discovery)).ok).toBe(true);
    expect((await envProbe.collect(probe)).ok).toBe(true);
    expect(discovery.secrets).toContain('zs-9f8e7d6c5b4a39281706f5e4d3c2b1a0');
    expect(discovery.secrets).not.toContain('environment');
    expect([...new Set(discovery.secrets)].sort()).toEqual([...new Set(probe.secrets)].sort());
  });
});
