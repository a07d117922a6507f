import { defineCheck } from '../../../engine/define.js';
import type { CheckContext, Evidence, Facts, Finding } from '../../../engine/types.js';
import type { EnvFile, EnvKey, WorldReadableScan } from '../../../facts/project.js';
import { unverifiedOf } from '../../lib/failure.js';
import { capUnverified } from '../../lib/unverified.js';

/** At most this many keys are listed as evidence; the summary gives the total. */
const MAX_LISTED = 20;

/** Group or other permission bits: the file is readable (or writable) by someone other than its owner. */
const NOT_OWNER_ONLY = 0o077;

function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

const plaintext = (k: EnvKey): boolean => k.secretLike && !k.reference && !k.empty;

function capped(items: Evidence[], total: number): Evidence[] {
  return total > items.length ? [...items, { text: `… and ${total - items.length} more` }] : items;
}

/**
 * secrets.in-key-vault — production secrets live in Key Vault, not in plaintext `.env` files.
 * Reads only key names, classifications, line numbers and fingerprints (never values).
 */
export const check = defineCheck({
  meta: {
    id: 'secrets.in-key-vault',
    section: 'secrets',
    title: 'Production secrets are in Key Vault, not in plaintext .env files',
    severity: 'critical',
    effort: { size: 'M', hours: [2, 6] },
    remediation: {
      text:
        'Move each listed value into the production Key Vault (one secret per value; rotate it, since it sat on disk), ' +
        'give the VM a managed identity with "Key Vault Secrets User" on that vault, and have the services read the ' +
        'secret at start-up (DefaultAzureCredential + SecretClient); leave only a reference in the .env file ' +
        '(e.g. kv://<vault>/<secret-name>) or remove the key. Keep the .env file mode 0600, owned by the service user.',
      command: 'az keyvault secret set --vault-name <prod-key-vault> --name <secret-name> --file <file-holding-the-value>',
      url: 'https://learn.microsoft.com/azure/key-vault/secrets/secrets-best-practices',
    },
    runs: 'the .env files listed in env.files: key names, line numbers, file modes; world-readable files in the project root (values are never read into the report)',
  },
  requires: ['project.env'],
  uses: ['project.world-readable'],
  evaluate(facts, ctx) {
    return withWorldReadable(envFinding(facts, ctx), facts);
  },
});

/** The `.env` part: plaintext secrets, file modes, unparsed lines. */
function envFinding(facts: Facts, ctx: CheckContext): Finding {
  const scan = facts.need('project.env');
  const listed = ctx.config.env.files;
  if (scan.files.length === 0) {
    // Unknown, not pass (docs/ARCHITECTURE.md invariant 4): with no .env file there is no evidence of where
    // the services get their secrets — systemd Environment= lines, a file elsewhere, or Key
    // Vault. "Found no plaintext" would be a pass for not having looked.
    const where = listed.length > 0 ? listed.join(', ') : '(env.files is empty)';
    return {
      status: 'unknown',
      summary: `no .env files found at ${where}; cannot tell where the services read their secrets — list the real files in env.files (predeploy.yaml)`,
      evidence: [{ text: `looked for: ${where}` }],
    };
  }

  const found = scan.files.flatMap((f) => f.keys.filter(plaintext).map((k) => ({ f, k })));
  const exposed = scan.files.filter((f) => (f.mode & NOT_OWNER_ONLY) !== 0 && f.keys.some((k) => k.secretLike && !k.empty));
  const exposedText = (f: EnvFile): string => `${f.path} is mode ${octal(f.mode)}: readable by group/others (uid ${f.uid}, gid ${f.gid}); want 0600`;

  if (found.length > 0) {
    const names = [...new Set(found.map(({ k }) => k.name))];
    const evidence = capped(
      found.slice(0, MAX_LISTED).map(({ f, k }) => ({ text: `${f.path}:${k.line} ${k.name} (fingerprint ${k.fingerprint ?? '-'})` })),
      found.length,
    );
    for (const f of exposed) evidence.push({ text: exposedText(f) });
    const nameList = names.length > 5 ? `${names.slice(0, 5).join(', ')}, …` : names.join(', ');
    return {
      status: 'fail',
      summary: `${found.length} plaintext secret${found.length === 1 ? '' : 's'} in .env files (${nameList}); move them to Key Vault`,
      evidence,
    };
  }

  const refs = scan.files.flatMap((f) => f.keys.filter((k) => k.secretLike && k.reference).map((k) => ({ f, k })));
  const empties = scan.files.flatMap((f) => f.keys.filter((k) => k.secretLike && k.empty).map((k) => ({ f, k })));
  const unparsed = scan.files.filter((f) => f.badLines.length > 0);
  const evidence: Evidence[] = capped(
    refs.slice(0, MAX_LISTED).map(({ f, k }) => ({ text: `${f.path}:${k.line} ${k.name} is a vault reference` })),
    refs.length,
  );
  for (const { f, k } of empties.slice(0, MAX_LISTED)) evidence.push({ text: `${f.path}:${k.line} ${k.name} is empty` });
  const fileList = scan.files.map((f) => f.path).join(', ');

  if (exposed.length > 0) {
    return {
      status: 'warn',
      summary: `no plaintext secrets, but ${exposed.map((f) => `${f.path} (${octal(f.mode)})`).join(', ')} ${exposed.length === 1 ? 'is' : 'are'} readable beyond the owner; chmod 600`,
      evidence: [...exposed.map((f) => ({ text: exposedText(f) })), ...evidence],
    };
  }
  if (unparsed.length > 0) {
    // A line the parser could not read may still be loaded by the service and hold a secret.
    return {
      status: 'warn',
      summary: `no plaintext secrets found, but some lines could not be parsed: ${unparsed.map((f) => `${f.path} line ${f.badLines.join(', ')}`).join('; ')}`,
      evidence: [...unparsed.map((f) => ({ text: `${f.path}: unparsed line(s) ${f.badLines.join(', ')}` })), ...evidence],
    };
  }
  if (refs.length === 0) {
    return {
      status: 'pass',
      summary: `no secret-like keys in ${scan.files.length} .env file${scan.files.length === 1 ? '' : 's'} (${fileList})`,
      evidence: [{ text: `scanned ${fileList}` }, ...evidence],
    };
  }
  return {
    status: 'pass',
    summary: `${refs.length === 1 ? 'the only secret-like key is a vault reference' : `all ${refs.length} secret-like keys are vault references`} (${fileList})`,
    evidence,
  };
}

/**
 * The world-readable part (optional input `project.world-readable`): secret-shaped content in
 * files any local user can read fails the check, like a plaintext `.env` does; with the root
 * closed to others the loose modes are a warning.
 */
function withWorldReadable(env: Finding, facts: Facts): Finding {
  const o = facts.maybe('project.world-readable');
  if (!o || !o.ok) {
    const u = unverifiedOf('project.world-readable', o);
    return capUnverified({ ...env, evidence: [...env.evidence, { text: `world-readable files not checked: ${o ? o.detail : 'the scan did not run'}`, ...(o ? { refs: o.refs } : {}) }] }, u ? [u] : []);
  }
  const wr: WorldReadableScan = o.value;
  // Mode and owner of every .env file that holds credentials (root:root 0600 suits systemd's
  // EnvironmentFile=, which PID 1 reads as root: https://www.freedesktop.org/software/systemd/man/systemd.exec.html#EnvironmentFile=).
  const notes: Evidence[] = facts
    .need('project.env')
    .files.filter((f) => f.keys.some((k) => k.secretLike && !k.empty))
    .map((f) => ({ text: `${f.path}: mode ${octal(f.mode)}, owner uid ${f.uid}, gid ${f.gid}` }));
  if (wr.budgetHit) notes.push({ text: `world-readable scan stopped at its budget (depth ${wr.maxDepth}): deeper or further files were not looked at`, refs: o.refs });
  if (wr.tooLarge.length > 0) notes.push({ text: `world-readable but too large to scan: ${wr.tooLarge.slice(0, 5).join(', ')}${wr.tooLarge.length > 5 ? ', …' : ''}`, refs: o.refs });
  if (wr.findings.length === 0) {
    return { ...env, evidence: [...env.evidence, { text: `${wr.worldReadableFiles} world-readable file(s) in the project root, none with secret-shaped content (${wr.scannedFiles} scanned)`, refs: o.refs }, ...notes] };
  }
  const lines = wr.findings.slice(0, MAX_LISTED).map((f) => ({
    text: `${f.path}:${f.line} ${f.key ?? f.kind} (mode ${octal(f.mode)}, uid ${f.uid}): ${wr.rootOpenToOthers ? 'readable by every local user' : 'its mode lets others read it'}`,
    refs: o.refs,
  }));
  const evidence = [...capped(lines, wr.findings.length), ...notes];
  const files = [...new Set(wr.findings.map((f) => f.path))];
  const fileList = files.length > 3 ? `${files.slice(0, 3).join(', ')}, …` : files.join(', ');
  if (!wr.rootOpenToOthers) {
    const summary = `secret-shaped content in files with world-readable modes (${fileList}); the root is closed to others, but chmod o-r them`;
    return env.status === 'fail'
      ? { ...env, evidence: [...env.evidence, ...evidence] }
      : { status: env.status === 'pass' ? 'warn' : env.status, summary: env.status === 'pass' ? summary : `${env.summary}; ${summary}`, evidence: [...evidence, ...env.evidence] };
  }
  const summary = `${wr.findings.length} secret${wr.findings.length === 1 ? '' : 's'} in world-readable files (${fileList}): chmod o-r and move them to Key Vault`;
  if (env.status === 'fail') return { status: 'fail', summary: `${env.summary}; ${summary}`, evidence: [...env.evidence, ...evidence] };
  return { status: 'fail', summary, evidence: [...evidence, ...env.evidence] };
}
