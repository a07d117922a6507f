import { describe, expect, it } from 'vitest';
import { evaluateCheck } from '../../../engine/evaluate.js';
import { attestedCases, CASES_CONTEXT } from '../attested-cases.js';
import { check } from './check.js';

describe('golive.support-contacts', () => {
  it.each(attestedCases('golive.support-contacts'))('$name', ({ outcomes, status, summary, evidence }) => {
    const r = evaluateCheck(check, outcomes, CASES_CONTEXT);
    expect(r.status).toBe(status);
    expect(r.summary).toMatch(summary);
    expect(r.summary).not.toContain('\n');
    if (evidence) expect(r.evidence.map((e) => e.text)).toEqual(evidence);
  });

  it('metadata', () => {
    expect(check.meta).toMatchObject({ id: 'golive.support-contacts', section: 'golive', severity: 'medium' });
    expect(check.meta.blocker === true).toBe(false);
    expect(check.requires).toEqual(['project.attestations']);
    expect(check.meta.remediation.text).toMatch(/^Done means: /);
  });
});
