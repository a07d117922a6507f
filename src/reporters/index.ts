/**
 * The reporters, registered by name (Trivy habit: one name→writer map). Each is a pure function
 * of the {@link Report}; the CLI picks them by `--format`, redacts and writes the files.
 *
 * Two kinds, because redaction differs: a `text` reporter renders a string, which the CLI
 * passes through the redactor as a whole; a `json` reporter builds a structure, which the CLI
 * redacts value by value *before* serializing it (patterns over serialized JSON could break it).
 *
 * The commands log is not here: it renders the log entries, not the report.
 */
import { renderChecklist } from './checklist.js';
import { renderHtml } from './html.js';
import { renderJunit } from './junit.js';
import { renderMarkdownReport } from './markdown.js';
import type { Report } from './model.js';
import { buildSarif } from './sarif.js';
import { CHECKLIST_FILE, HTML_FILE, JSON_FILE, JUNIT_FILE, REPORT_FILE, SARIF_FILE } from './text.js';

/** A reporter that renders text. */
export interface TextReporter {
  kind: 'text';
  /** the file it writes in the run folder */
  file: string;
  render(report: Report): string;
}

/** A reporter that builds a JSON structure. */
export interface JsonReporter {
  kind: 'json';
  file: string;
  build(report: Report): unknown;
}

export type Reporter = TextReporter | JsonReporter;

/** Every reporter of the run folder, by name. */
export const REPORTERS = {
  md: { kind: 'text', file: REPORT_FILE, render: renderMarkdownReport },
  checklist: { kind: 'text', file: CHECKLIST_FILE, render: renderChecklist },
  json: { kind: 'json', file: JSON_FILE, build: (report: Report): unknown => report },
  sarif: { kind: 'json', file: SARIF_FILE, build: buildSarif },
  junit: { kind: 'text', file: JUNIT_FILE, render: renderJunit },
  html: { kind: 'text', file: HTML_FILE, render: renderHtml },
} as const satisfies Record<string, Reporter>;

export type ReporterName = keyof typeof REPORTERS;

/** The names `--format` takes. */
export const FORMATS = ['md', 'json', 'sarif', 'junit', 'html'] as const;
export type Format = (typeof FORMATS)[number];

/** Written on every run, whatever `--format` says. */
export const ALWAYS: readonly ReporterName[] = ['md', 'checklist', 'json'];

/** The reporters a run writes for the given `--format` names, in a stable order. */
export function reportersFor(formats: readonly Format[]): ReporterName[] {
  const names = new Set<ReporterName>([...ALWAYS, ...formats]);
  return (Object.keys(REPORTERS) as ReporterName[]).filter((n) => names.has(n));
}

/** Serialize a (redacted) JSON reporter's structure. */
export const serializeJson = (value: unknown): string => JSON.stringify(value, null, 2) + '\n';
