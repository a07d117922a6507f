/**
 * A fake Azure CLI: a small `az` shell script put first on the PATH of the target, answering
 * the two read-only commands predeploy runs (`az account get-access-token`, `az account show`)
 * with the JSON shapes the real CLI prints, and recording every call.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The token the fake CLI hands out: JWT-shaped, so a leak would also be caught by pattern. */
export const ARM_TOKEN_CANARY = 'eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJjYW5hcnkiOiJwcmVkZXBsb3ktYXJtLXRva2VuIn0.CanaryTokenSignature';

export interface FakeAz {
  /** the directory to put first on PATH */
  dir: string;
  /** argv of every call (after `az`) */
  calls(): string[][];
}

export interface FakeAzOptions {
  subscriptionId: string;
  tenantId: string;
  /** false: every command says "Please run 'az login'" (exit 1) */
  loggedIn?: boolean;
  token?: string;
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function fakeAz(o: FakeAzOptions): FakeAz {
  const dir = mkdtempSync(join(tmpdir(), 'predeploy-fake-az-'));
  const log = join(dir, 'calls.log');
  const expires = Math.floor(Date.now() / 1000) + 3600;
  const token = JSON.stringify({
    accessToken: o.token ?? ARM_TOKEN_CANARY,
    expiresOn: new Date(expires * 1000).toISOString().replace('T', ' ').replace('Z', '000'),
    expires_on: expires,
    subscription: o.subscriptionId,
    tenant: o.tenantId,
    tokenType: 'Bearer',
  });
  const account = JSON.stringify({
    environmentName: 'AzureCloud',
    id: o.subscriptionId,
    isDefault: true,
    name: 'Pay-As-You-Go',
    state: 'Enabled',
    tenantId: o.tenantId,
    user: { name: 'ops@pippaoflondon.co.uk', type: 'user' },
  });
  const script = `#!/bin/sh
printf '%s\\n' "$*" >> ${q(log)}
${o.loggedIn === false ? `echo "ERROR: Please run 'az login' to setup account." >&2; exit 1` : ''}
case "$1 $2" in
  "account get-access-token") printf '%s\\n' ${q(token)} ;;
  "account show") printf '%s\\n' ${q(account)} ;;
  *) echo "fake az: unsupported: $*" >&2; exit 2 ;;
esac
`;
  writeFileSync(join(dir, 'az'), script);
  chmodSync(join(dir, 'az'), 0o755);
  return {
    dir,
    calls: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => l.split(' ')) : []),
  };
}
