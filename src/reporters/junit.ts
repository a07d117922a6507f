/**
 * `report.junit.xml`: the checks as JUnit XML, for CI test tabs (Azure Pipelines
 * PublishTestResults, GitLab, Jenkins, GitHub test-reporter actions).
 *
 * One `<testsuite>` per section (sections without checks in the run are left out), one
 * `<testcase>` per check. A test case passes exactly when the check passes:
 *
 * | status  | JUnit                                  | why |
 * |---------|----------------------------------------|-----|
 * | pass    | (passed)                               | |
 * | fail    | `<failure type="fail">`                | |
 * | warn    | `<failure type="warn">`                | not a pass: it scores half |
 * | manual  | `<failure type="manual">`              | needs a person's attestation before go-live |
 * | unknown | `<error type="unknown">`               | the check could not run to a verdict: JUnit's "error" |
 * | n/a     | `<skipped>`                            | deliberately not applicable |
 * | waived  | `<skipped>` with the waiver            | an accepted risk, shown apart from passes |
 *
 * Times are 0 for checks (they only read facts); the suite's `time` is the run's duration.
 */
import { SECTIONS, type CheckResult } from '../engine/types.js';
import type { Report } from './model.js';
import { fmtScore, STATUS_LABEL } from './text.js';

/** Characters XML 1.0 cannot carry at all; they are dropped. */
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Escape text for XML content and attribute values. */
export function xmlEscape(s: string): string {
  return s
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;');
}

/** Attribute values keep line breaks only as character references. */
const attr = (s: string): string => xmlEscape(s).replace(/\n/g, '&#10;');

type Outcome = { kind: 'pass' } | { kind: 'failure' | 'error' | 'skipped'; type: string; message: string };

function outcomeOf(r: CheckResult): Outcome {
  switch (r.status) {
    case 'pass':
      return { kind: 'pass' };
    case 'fail':
    case 'warn':
    case 'manual':
      return { kind: 'failure', type: r.status, message: `${STATUS_LABEL[r.status]}: ${r.summary}` };
    case 'unknown':
      return { kind: 'error', type: 'unknown', message: `UNKNOWN (could not verify): ${r.summary}` };
    case 'n/a':
    case 'waived':
      return { kind: 'skipped', type: r.status, message: `${STATUS_LABEL[r.status]}: ${r.summary}` };
  }
}

function body(r: CheckResult): string {
  const lines = [
    `${r.id} — ${r.title}`,
    `severity: ${r.severity}${r.blocker ? ' (go-live blocker)' : ''}`,
    `finding: ${r.summary}`,
    ...r.evidence.map((e) => `evidence: ${e.text}${e.refs && e.refs.length > 0 ? ` (log ${e.refs.map((n) => `#${n}`).join(', ')})` : ''}`),
  ];
  if (r.status !== 'pass' && r.status !== 'n/a' && r.status !== 'waived') {
    lines.push(`fix: ${r.remediation.text}`);
    if (r.remediation.command) lines.push(`command: ${r.remediation.command}`);
    if (r.remediation.url) lines.push(`reference: ${r.remediation.url}`);
  }
  return lines.join('\n');
}

/** JUnit `timestamp`: ISO 8601 without a zone (the Ant schema's pattern); the run's times are UTC. */
const junitTime = (iso: string): string => iso.slice(0, 19);

/** `report.junit.xml` (see the module comment for how statuses map). */
export function renderJunit(report: Report): string {
  const m = report.meta;
  const seconds = (m.durationMs / 1000).toFixed(3);
  const count = (rs: readonly CheckResult[], kind: Outcome['kind']) => rs.filter((r) => outcomeOf(r).kind === kind).length;
  const all = report.results;
  const L: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  L.push(
    `<testsuites name="${attr(`predeploy ${m.profile}`)}" tests="${all.length}" failures="${count(all, 'failure')}" errors="${count(all, 'error')}" skipped="${count(all, 'skipped')}" time="${seconds}" timestamp="${junitTime(m.startedAt)}">`,
  );
  for (const s of SECTIONS) {
    const rs = all.filter((r) => r.section === s.id);
    if (rs.length === 0) continue;
    const score = report.sections.find((x) => x.id === s.id)?.score ?? null;
    L.push(
      `  <testsuite name="${attr(`${s.number}. ${s.title}`)}" id="${s.number - 1}" package="predeploy.${s.id}" hostname="${attr(m.target)}" tests="${rs.length}" failures="${count(rs, 'failure')}" errors="${count(rs, 'error')}" skipped="${count(rs, 'skipped')}" time="0" timestamp="${junitTime(m.startedAt)}">`,
    );
    L.push('    <properties>');
    L.push(`      <property name="section.score" value="${fmtScore(score)}"/>`);
    L.push(`      <property name="run.id" value="${attr(m.runId)}"/>`);
    L.push(`      <property name="run.verdict" value="${attr(report.verdict)}"/>`);
    L.push(`      <property name="run.score" value="${fmtScore(report.score)}"/>`);
    L.push('    </properties>');
    for (const r of rs) {
      const o = outcomeOf(r);
      const open = `    <testcase name="${attr(`${r.id}: ${r.title}`)}" classname="predeploy.${r.section}" time="0"`;
      if (o.kind === 'pass') {
        L.push(`${open}>`);
        L.push(`      <system-out>${xmlEscape(body(r))}</system-out>`);
        L.push('    </testcase>');
        continue;
      }
      L.push(`${open}>`);
      if (o.kind === 'skipped') L.push(`      <skipped message="${attr(o.message)}"/>`);
      else L.push(`      <${o.kind} message="${attr(o.message)}" type="${o.type}">${xmlEscape(body(r))}</${o.kind}>`);
      if (o.kind === 'skipped') L.push(`      <system-out>${xmlEscape(body(r))}</system-out>`);
      L.push('    </testcase>');
    }
    L.push('  </testsuite>');
  }
  L.push('</testsuites>');
  return L.join('\n') + '\n';
}
