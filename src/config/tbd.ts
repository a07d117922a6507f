/**
 * `TBD` is a legal config value meaning "not decided": reported as a gap, never as a pass.
 * Kept apart from the zod schema so checks and reporters can use it without loading zod
 * (start-up time: `predeploy checks` and `--version` never need the schema).
 */
export const TBD = 'TBD';
export const isTbd = (v: string | undefined | null): boolean => v === undefined || v === null || v === TBD;

/** The human attestations file in the project root (parsed by ./attestations.ts). */
export const ATTESTATION_FILE_NAME = 'predeploy.attest.yaml';
