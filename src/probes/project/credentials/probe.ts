/**
 * `project.credentials`: for every credential reference in predeploy.yaml, whether its value
 * is available to this run and where it was found (process environment, `.env` file:line) —
 * never the value. The Zoho and bot probes resolve the values themselves (./resolve.ts) and
 * keep them in memory; facts go into report.json.
 */
import { fingerprint } from '../../../config/dotenv.js';
import { defineProbe } from '../../../engine/define.js';
import type { CredentialRefStatus, CredentialScan } from '../../../facts/project.js';
import { configuredRefs, readEnvValues, resolveAll, zohoThrottleSettings } from './resolve.js';

/** `project.credentials`: every credential reference of the config, resolved to where it is (never what it is). */
export const credentialsProbe = defineProbe({
  id: 'project.credentials',
  describe: 'resolve the credential references of predeploy.yaml from the environment and .env files (where, never the values)',
  async collect(ctx) {
    const env = await readEnvValues(ctx);
    const resolved = resolveAll(ctx, configuredRefs(ctx.config), env);
    const refs: CredentialRefStatus[] = resolved.map((r) => ({
      ref: r.ref,
      ...(r.config.env !== undefined ? { env: r.config.env } : {}),
      ...(r.config.keyVaultSecret !== undefined ? { keyVaultSecret: r.config.keyVaultSecret } : {}),
      source: r.source,
      ...(r.value !== undefined ? { fingerprint: fingerprint(r.value) } : {}),
    }));
    const value: CredentialScan = {
      refs,
      zohoThrottle: zohoThrottleSettings(env),
      processEnv: env.processEnv !== undefined,
      unreadable: env.unreadable.map((u) => u.path),
    };
    return { ok: true, value };
  },
});
