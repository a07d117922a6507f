/** Fact shapes produced by the project probes (src/probes/project/*). Never secret values. */

export interface EnvKey {
  name: string;
  /** the key name or value shape looks like a credential */
  secretLike: boolean;
  /** the value is a reference to a vault (`@Microsoft.KeyVault(...)`, `kv://`) or a `${VAR}` indirection */
  reference: boolean;
  /** empty value */
  empty: boolean;
  /** 1-based line in the file */
  line: number;
  /** 8 hex of a per-run salted sha256 of the value: tells values apart within a run; secretLike only */
  fingerprint?: string;
}

export interface EnvFile {
  /** path relative to the project root */
  path: string;
  mode: number;
  uid: number;
  gid: number;
  keys: EnvKey[];
  /** lines that could not be parsed (line numbers only) */
  badLines: number[];
}

export interface EnvScan {
  files: EnvFile[];
}

export interface Attestation {
  /** check id the attestation is for */
  check: string;
  by: string;
  /** ISO date */
  date: string;
  evidence: string;
  /** ISO date; after it the attestation no longer applies */
  expires?: string;
  /** 1-based line in the file */
  line: number;
}

export interface Attestations {
  /** path of the file read, relative to the root; null when there is none */
  file: string | null;
  items: Attestation[];
}

// ---------------------------------------------------------------------------------------------
// project.credentials — where each configured credential reference resolved (never the value)

/** Where a credential's value was found for this run. */
export type CredentialSource =
  /** the process environment of this run (the shell that started predeploy) */
  | { kind: 'process-env'; name: string }
  /** a `.env` file listed in env.files; the last assignment in the file wins */
  | { kind: 'env-file'; name: string; path: string; line: number }
  /** not available to this run; `reason` says why and how to make it available */
  | { kind: 'none'; reason: string };

/** One credential reference of predeploy.yaml (`zoho.prod.refreshToken`, `bot.prod.secret`, ...). */
export interface CredentialRefStatus {
  /** the config path of the reference */
  ref: string;
  /** the env var name configured, when there is one */
  env?: string;
  /** the Key Vault secret name configured, when there is one (checked by name only) */
  keyVaultSecret?: string;
  source: CredentialSource;
  /** 8 hex of a per-run salted sha256 of the value (resolved refs only): tells dev and prod values apart */
  fingerprint?: string;
}

/** A numeric setting in a `.env` file by which the app declares its own Zoho throttling. */
export interface ThrottleSetting {
  name: string;
  /** the `.env` file, relative to the root */
  path: string;
  line: number;
  kind: 'per-minute' | 'per-day' | 'concurrency';
  value: number;
}

/** `project.credentials`: where the config's credential references resolve for this run. */
export interface CredentialScan {
  refs: CredentialRefStatus[];
  /** `ZOHO_*` throttling settings found in the `.env` files (numbers, not secrets) */
  zohoThrottle: ThrottleSetting[];
  /** false when this run has no access to the process environment (only `.env` files were read) */
  processEnv: boolean;
  /** `.env` files that exist but could not be read */
  unreadable: string[];
}

// ---------------------------------------------------------------------------------------------
// project.world-readable — secret-shaped content in files anyone on the host can read

/** What made a line look like a secret. */
export type SecretShapeKind =
  | 'assignment'
  | 'private-key'
  | 'jwt'
  | 'zoho-token'
  | 'connection-string'
  | 'url-password'
  | 'entra-client-secret';

/** One secret-shaped line in a world-readable file. */
export interface WorldReadableFinding {
  /** relative to the project root */
  path: string;
  line: number;
  kind: SecretShapeKind;
  /** the key name for `assignment` findings (never the value) */
  key?: string;
  mode: number;
  uid: number;
}

/** `project.world-readable`: the walk's findings and how far it looked. */
export interface WorldReadableScan {
  /** the root and every directory above it let others in (o+x): world-readable files really are readable */
  rootOpenToOthers: boolean;
  findings: WorldReadableFinding[];
  /** regular files whose mode (and directories) let any local user read them */
  worldReadableFiles: number;
  /** files whose content was scanned */
  scannedFiles: number;
  /** world-readable files left unscanned because they are larger than the size budget */
  tooLarge: string[];
  /** the walk stopped at its depth or entry budget: some files were not looked at */
  budgetHit: boolean;
  maxDepth: number;
}

// ---------------------------------------------------------------------------------------------
// project.policies — documents in the project that state a secret rotation policy

/** A document that states a secret rotation policy. */
export interface RotationPolicyDoc {
  /** relative to the project root */
  path: string;
  /** first line that mentions rotation */
  line: number;
  /** the shortest rotation period stated, in days, when one is stated */
  periodDays?: number;
  /** the period as written (`every 90 days`, `quarterly`) */
  periodText?: string;
  /** which secrets it names (`Zoho`, `bot`, `storage key`, ...) */
  secrets: string[];
}

/** `project.policies`: the documents read and the rotation policies found. */
export interface PolicyDocs {
  /** markdown/text files read, relative to the root */
  scanned: string[];
  rotation: RotationPolicyDoc[];
}
