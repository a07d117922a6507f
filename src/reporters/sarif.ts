/**
 * `report.sarif`: the results as SARIF 2.1.0 (OASIS), for code-scanning dashboards (GitHub code
 * scanning, Azure DevOps SARIF viewer) and anything else that reads static-analysis results.
 *
 * - one rule per check in the run (id, title, what it looks at, remediation as help, the
 *   remediation link as `helpUri`, default level from {@link sarifLevel});
 * - one result per check that is not `pass` or `n/a`: `fail`, `warn`, `unknown` (unknown is not
 *   pass), `manual` (needs a person's attestation) and `waived` — a waived result carries an
 *   accepted external suppression with the waiver's reason, approver and expiry, so viewers show
 *   it apart from open results;
 * - results point at the run's Markdown report (`RUNDIR`), the findings' home, and carry the
 *   check id as a logical location and a stable partial fingerprint;
 * - one invocation: start and end time, whether the run completed.
 *
 * {@link buildSarif} returns the structure: the CLI redacts it value by value before it is
 * serialized (patterns over serialized JSON could break it).
 *
 * Spec: https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 */
import { pathToFileURL } from 'node:url';
import type { Severity, Status } from '../engine/types.js';
import type { Report } from './model.js';
import { REPORT_FILE, STATUS_LABEL } from './text.js';

/** SARIF `result.level` / `reportingConfiguration.level`. */
export type SarifLevel = 'error' | 'warning' | 'note' | 'none';

/**
 * The one place severity and status become a SARIF level (Trivy habit). A confirmed failure of a
 * critical or high check is an `error`; what is only a warning, or could not be verified, is a
 * `warning` for critical/high checks and a `note` below; a missing attestation is a `note`.
 * `pass` and `n/a` are `none` (and are not emitted). For `waived`, pass the status the check had
 * before the waiver.
 */
export function sarifLevel(severity: Severity, status: Status): SarifLevel {
  const serious = severity === 'critical' || severity === 'high';
  switch (status) {
    case 'fail':
      return serious ? 'error' : severity === 'medium' ? 'warning' : 'note';
    case 'warn':
    case 'unknown':
      return serious ? 'warning' : 'note';
    case 'manual':
    case 'waived':
      return 'note';
    case 'pass':
    case 'n/a':
      return 'none';
  }
}

/** GitHub code scanning reads `security-severity` (a CVSS-like score) from rule properties. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0' };

/** The SARIF schema URI written into the log. */
export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

interface Message {
  text: string;
  markdown?: string;
}

/** The subset of SARIF 2.1.0 predeploy writes. */
export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: SarifRun[];
}

export interface SarifRule {
  id: string;
  name: string;
  shortDescription: Message;
  fullDescription: Message;
  help: Message;
  helpUri?: string;
  defaultConfiguration: { level: SarifLevel };
  properties: Record<string, unknown>;
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: Message;
  locations: unknown[];
  partialFingerprints: Record<string, string>;
  suppressions?: { kind: 'external'; status: 'accepted'; justification: string }[];
  properties: Record<string, unknown>;
}

export interface SarifRun {
  tool: { driver: { name: string; version: string; semanticVersion: string; rules: SarifRule[] } };
  invocations: unknown[];
  automationDetails: { id: string };
  originalUriBaseIds: Record<string, { uri: string; description: Message }>;
  results: SarifResult[];
  properties: Record<string, unknown>;
}

/** `security.firewall` → `SecurityFirewall` (SARIF rule names are identifier-like). */
const ruleName = (id: string): string =>
  id
    .split(/[.-]/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');

const refsOf = (refs: readonly number[] | undefined): string => (refs && refs.length > 0 ? ` (log ${refs.map((r) => `#${r}`).join(', ')})` : '');

const isAbsoluteUrl = (u: string): boolean => {
  try {
    return /^https?:$/.test(new URL(u).protocol);
  } catch {
    return false;
  }
};

/** The SARIF log of a report, as a structure (see the module comment for what goes where). */
export function buildSarif(report: Report): SarifLog {
  const m = report.meta;
  const waiverOf = new Map(report.waivers.applied.map((w) => [w.check, w]));
  const rules: SarifRule[] = report.results.map((r) => {
    const rem = r.remediation;
    const helpText = [rem.text, rem.command ? `Command: ${rem.command}` : '', rem.url ? `Reference: ${rem.url}` : ''].filter((x) => x !== '').join('\n');
    const helpMd = [rem.text, rem.command ? `\n\`\`\`sh\n${rem.command}\n\`\`\`` : '', rem.url ? `\nReference: <${rem.url}>` : ''].join('\n').trim();
    return {
      id: r.id,
      name: ruleName(r.id),
      shortDescription: { text: r.title },
      fullDescription: { text: `${r.title}. Looks at: ${r.runs}` },
      help: { text: helpText, markdown: helpMd },
      ...(rem.url && isAbsoluteUrl(rem.url) ? { helpUri: rem.url } : {}),
      defaultConfiguration: { level: sarifLevel(r.severity, 'fail') },
      properties: {
        tags: ['predeploy', r.section, r.severity, ...(r.blocker ? ['blocker'] : [])],
        'security-severity': SECURITY_SEVERITY[r.severity],
        section: r.section,
        severity: r.severity,
        blocker: r.blocker,
        effort: { size: r.effort.size, hours: r.effort.hours },
      },
    };
  });
  const results: SarifResult[] = [];
  report.results.forEach((r, ruleIndex) => {
    if (r.status === 'pass' || r.status === 'n/a') return;
    const waiver = r.status === 'waived' ? waiverOf.get(r.id) : undefined;
    const level = sarifLevel(r.severity, waiver ? waiver.was : r.status);
    const evidence = r.evidence.map((e) => `${e.text}${refsOf(e.refs)}`);
    results.push({
      ruleId: r.id,
      ruleIndex,
      level,
      message: { text: `${STATUS_LABEL[r.status]}: ${r.summary}${r.status === 'waived' ? '' : ` — fix: ${r.remediation.text}`}` },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: REPORT_FILE, uriBaseId: 'RUNDIR' } },
          logicalLocations: [{ name: r.id, fullyQualifiedName: `predeploy/${r.section}/${r.id}`, kind: 'object' }],
        },
      ],
      partialFingerprints: { 'predeployCheck/v1': r.id },
      ...(r.status === 'waived'
        ? {
            suppressions: [
              {
                kind: 'external' as const,
                status: 'accepted' as const,
                justification: waiver ? `${waiver.reason} (approved by ${waiver.approver}; expires ${waiver.expires})` : r.summary,
              },
            ],
          }
        : {}),
      properties: { status: r.status, severity: r.severity, section: r.section, blocker: r.blocker, evidence },
    });
  });
  const dirUri = pathToFileURL(m.outDir.endsWith('/') ? m.outDir : `${m.outDir}/`).href;
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'predeploy', version: m.tool.version, semanticVersion: m.tool.version, rules } },
        invocations: [
          {
            executionSuccessful: !m.incomplete,
            startTimeUtc: m.startedAt,
            endTimeUtc: m.finishedAt,
            machine: m.target,
            workingDirectory: { uri: pathToFileURL(m.root.endsWith('/') ? m.root : `${m.root}/`).href },
            ...(m.incomplete ? { toolExecutionNotifications: [{ level: 'warning', message: { text: 'the run was interrupted: checks whose probes had not finished are unknown' } }] } : {}),
            properties: { runId: m.runId, profile: m.profile, configSource: m.configSource, offline: m.offline, skipped: m.skipped },
          },
        ],
        automationDetails: { id: `predeploy/${m.profile}/${m.runId}` },
        originalUriBaseIds: { RUNDIR: { uri: dirUri, description: { text: 'the run folder: the report, the commands log and report.json' } } },
        results,
        properties: {
          verdict: report.verdict,
          score: report.score,
          verdictReasons: report.verdictReasons,
          counts: report.counts,
          sections: report.sections.map((s) => ({ id: s.id, score: s.score })),
        },
      },
    ],
  };
}

/** `report.sarif` as text (tests and callers that do not redact; the CLI redacts {@link buildSarif}'s structure first). */
export function renderSarif(report: Report): string {
  return JSON.stringify(buildSarif(report), null, 2) + '\n';
}
