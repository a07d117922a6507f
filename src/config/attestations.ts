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
import { isMap, isScalar, isSeq } from 'yaml';
import { z } from 'zod';
import type { Attestation } from '../facts/project.js';
import { describeIssue, firstProblem } from './issues.js';
import { contentsOffset, errorAt, offsetForValue, parseYamlSource, toPlain } from './yaml-source.js';

/** The attestation file's name in the project root. */
export { ATTESTATION_FILE_NAME } from './tbd.js';

/** A check id: `section.kebab-name` (DESIGN.md "Check catalog"). */
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
    check: z.string().refine((s) => CHECK_ID.test(s), { message: 'expected a check id such as "golive.uat" (section.kebab-name)' }),
    by: text,
    date: isoDate,
    evidence: text,
    expires: isoDate.optional(),
  })
  .strict()
  .refine((a) => a.expires === undefined || a.expires >= a.date, { message: 'expires must not be before date', path: ['expires'] });

const fileSchema = z
  .object({
    // A bare `attestations:` (all items commented out) is an empty list, not an error.
    attestations: z.array(attestationSchema).nullable(),
  })
  .strict();

/**
 * Parse the attestation file. An empty file has no attestations.
 * @throws ConfigError one line, `file:line:col: ...`, never quoting a value
 */
export function parseAttestations(text: string, file: string): Attestation[] {
  const src = parseYamlSource(text, file);
  const contents = src.doc.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) return [];
  if (!isMap(contents)) throw errorAt(src, contentsOffset(src), 'the top level must be a mapping with an "attestations:" list');
  const value = toPlain(src);
  const parsed = fileSchema.safeParse(value);
  if (!parsed.success) {
    const keysAt = (path: readonly PropertyKey[]) => (path.length === 0 ? ['attestations'] : path.length === 2 ? ['check', 'by', 'date', 'evidence', 'expires'] : []);
    throw firstProblem(src, parsed.error.issues.flatMap((issue) => describeIssue(src, issue, value, keysAt)));
  }
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
