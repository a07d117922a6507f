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
