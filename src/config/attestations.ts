/**
 * `predeploy.attest.yaml`: what humans confirm that no probe can see (UAT sign-off, a rehearsed
 * rollback, ...). Each attestation names a check, who confirmed it, when, and where the proof is:
 *
 * ```yaml
 * attestations:
 *   - check: golive.uat
 *     by: Jane Doe (operations)
 *     date: 2026-11-20
 *     evidence: https://tickets.example/OPS-123 (sign-off)
 *     expires: 2027-02-20   # optional; after it the attestation no longer counts
 * ```
 */
import { posix } from 'node:path';
import { isMap, isScalar, isSeq } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../engine/errors.js';
import type { Attestation } from '../facts/project.js';
import { describeIssue, keysOfSchemaAt, problemsError, unknownCheckProblem, type LocatedProblem } from './issues.js';
import { ATTESTATION_FILE_NAME } from './tbd.js';
import { contentsOffset, errorAt, locateValue, offsetForValue, parseYamlSource, toPlain } from './yaml-source.js';

/** The attestation file's name in the project root. */
export { ATTESTATION_FILE_NAME };

/** A check id: `section.kebab-name` (the check catalog in README.md). */
export const CHECK_ID = /^[a-z]+\.[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** true for a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

const isoDate = z.string().refine(isIsoDate, { message: 'expected a date written YYYY-MM-DD (e.g. 2026-11-20)' });
const text = z.string().trim().min(1);

const attestationSchema = z
  .object({
    check: z
      .string()
      .refine((s) => CHECK_ID.test(s), { message: 'expected a check id such as "golive.uat" (section.kebab-name)' })
      .describe('the check confirmed (the go-live checks take attestations: `predeploy explain <id>` says which)'),
    by: text.describe('who confirmed it (a name or an address)'),
    date: isoDate.describe('when, written YYYY-MM-DD'),
    evidence: text.describe('where the proof is: a ticket, a link, a change record'),
    expires: isoDate.optional().describe('optional: the last day the attestation counts (YYYY-MM-DD); after it the check is `manual` again'),
  })
  .strict()
  .refine((a) => a.expires === undefined || a.expires >= a.date, { message: 'expires must not be before date', path: ['expires'] });

/** The whole file (docs/configuration.md and schema/predeploy.attest.schema.json are generated from it). */
export const attestationFileSchema = z
  .object({
    // A bare `attestations:` (all items commented out) is an empty list, not an error.
    attestations: z.array(attestationSchema).nullable().describe('human sign-offs, one per go-live item'),
  })
  .strict();

/** Options of {@link parseAttestations}. */
export interface AttestationParseOptions {
  /** the registered check ids: an attestation naming no check is a problem (with the nearest id) */
  checkIds?: readonly string[];
}

/**
 * Parse the attestation file. An empty file has no attestations.
 * @throws ConfigError listing every problem, one `file:line:col: ...` line each, never quoting a value
 */
export function parseAttestations(text: string, file: string, o: AttestationParseOptions = {}): Attestation[] {
  const src = parseYamlSource(text, file);
  const contents = src.doc.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) return [];
  if (!isMap(contents)) throw errorAt(src, contentsOffset(src), 'the top level must be a mapping with an "attestations:" list');
  const value = toPlain(src);
  const parsed = attestationFileSchema.safeParse(value);
  const items: unknown = isRecordValue(value) ? value['attestations'] : undefined;
  const problems: (LocatedProblem | undefined)[] = [
    ...src.duplicates,
    ...(parsed.success ? [] : parsed.error.issues.flatMap((issue) => describeIssue(src, issue, value, (path) => keysOfSchemaAt(attestationFileSchema, path)))),
  ];
  if (o.checkIds && Array.isArray(items)) {
    const ids = o.checkIds;
    items.forEach((a: unknown, i) => {
      const id: unknown = isRecordValue(a) ? a['check'] : undefined;
      if (typeof id === 'string') problems.push(unknownCheckProblem(src, locateValue(src, ['attestations', i, 'check']), `attestations[${i}].check`, id, ids));
    });
  }
  const found = problems.filter((p) => p !== undefined);
  if (found.length > 0 || !parsed.success) throw problemsError(src, found);
  const list = src.doc.get('attestations', true);
  return (parsed.data.attestations ?? []).map((a, i) => {
    const node = isSeq(list) ? list.items[i] : undefined;
    const offset = isMap(node) && node.range ? node.range[0] : offsetForValue(src, ['attestations', i]);
    return {
      check: a.check,
      by: a.by,
      date: a.date,
      evidence: a.evidence,
      ...(a.expires !== undefined ? { expires: a.expires } : {}),
      line: src.lineCounter.linePos(offset).line,
    };
  });
}

function isRecordValue(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Read and validate `<root>/predeploy.attest.yaml` through `read` (the run's target), before any
 * probe runs: a malformed file is bad input (exit 2), never a run where the go-live checks
 * quietly go unknown. No file: null.
 * @throws ConfigError
 */
export async function loadAttestationFile(
  root: string,
  read: (path: string, maxBytes: number) => Promise<Buffer | null>,
  o: AttestationParseOptions = {},
): Promise<Attestation[] | null> {
  const path = posix.join(root, ATTESTATION_FILE_NAME);
  let buf: Buffer | null;
  try {
    buf = await read(path, ATTESTATION_MAX_BYTES);
  } catch (err) {
    const code = err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : 'error';
    throw new ConfigError(`${path}: cannot read (${code}); check its permissions`);
  }
  return buf === null ? null : parseAttestations(buf.toString('utf8'), path, o);
}

/** The largest attestation file read. */
export const ATTESTATION_MAX_BYTES = 1024 * 1024;
