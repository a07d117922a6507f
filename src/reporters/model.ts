/**
 * The report model: everything the reporters print, as plain data. `report.json` is this
 * object; the other reporters are pure functions of it (plus the log entries for the log file).
 */
import type { Config } from '../config/schema.js';
import { isTbd } from '../config/tbd.js';
import type { Scores } from '../engine/scoring.js';
import { SECTIONS, SEVERITY_WEIGHT, type Check, type CheckResult, type Effort, type ProbeOutcome, type Severity } from '../engine/types.js';
import type { WaiverOutcome } from '../engine/waivers.js';
import type { Attestations, FactId } from '../facts/index.js';
import type { LogChain } from '../safety/log-chain.js';
import { byStartedAt, diffRuns, type RunDiff, type RunSummary } from './diff.js';
import { keyFacts, probeRows, type KeyFact, type ProbeRow } from './key-facts.js';
import { azureGapRows } from './azure-gaps.js';

export const SCHEMA_VERSION = 1;

export interface RunMeta {
  runId: string;
  tool: { name: 'predeploy'; version: string };
  root: string;
  outDir: string;
  target: string;
  profile: string;
  configSource: string | null;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  offline: boolean;
  /** true when the run was interrupted: results are partial */
  incomplete: boolean;
  /** check ids left out by --only/--skip */
  skipped: string[];
  /** how many entries the commands log holds */
  logEntries: number;
  /** the files this run writes in its folder */
  files: string[];
}

export interface Action {
  rank: number;
  checkId: string;
  title: string;
  severity: Severity;
  status: CheckResult['status'];
  blocker: boolean;
  /** what to do, one line */
  text: string;
  command?: string;
  url?: string;
  effort: Effort;
}

export interface GapRow {
  item: string;
  dev: string;
  prod: string;
  gap: string;
  action: string;
}

export interface Report {
  schemaVersion: typeof SCHEMA_VERSION;
  meta: RunMeta;
  verdict: Scores['verdict'];
  verdictReasons: string[];
  score: number | null;
  sections: { id: string; number: number; title: string; score: number | null; earned: number; possible: number; counts: Scores['overall']['counts'] }[];
  counts: Scores['overall']['counts'];
  results: CheckResult[];
  blockers: CheckResult[];
  actions: Action[];
  /** Σ effort hours of all actions, [low, high] */
  totalEffortHours: [number, number];
  gaps: GapRow[];
  /** what the waivers of predeploy.yaml did: applied (the check is `waived`), expired, unused */
  waivers: WaiverOutcome;
  /** every probe of the run: ok or why not, duration, log entries, the sections that read it */
  probes: ProbeRow[];
  /** the key raw facts behind the security and backup sections */
  keyFacts: KeyFact[];
  /** earlier runs in the same output folder: the score trend and the change since the last one */
  history: History;
  /** things the reader should know that are no check's finding (ignored attestations, ...) */
  notes: string[];
  /** the commands log's hash chain: every entry's hashes and the head (`predeploy verify` checks it) */
  logChain?: LogChain;
}

/** One run on the score trend. */
export interface TrendPoint {
  runId: string;
  startedAt: string;
  score: number | null;
  verdict: string;
  /** true for this run */
  current: boolean;
}

export interface History {
  /** complete runs in time order, this one last; at most {@link TREND_MAX} */
  trend: TrendPoint[];
  /** this run compared with the latest complete earlier run, when there is one */
  previous: RunDiff | null;
  /** earlier run folders that were left out, and why */
  notes: string[];
}

/** How many runs the trend shows. */
export const TREND_MAX = 30;

/** Earlier runs as the CLI read them from the output folder: complete ones, and notes on the rest. */
export interface EarlierRuns {
  runs: RunSummary[];
  notes: string[];
}

const isBlocking = (r: CheckResult) => r.blocker && r.status === 'fail';

/** Statuses that need an action; the rank breaks ties after blockers, severity and effort. */
const STATUS_RANK: Record<string, number> = { fail: 0, warn: 1, unknown: 2, manual: 3 };

/**
 * The recommended actions in priority order: failing blockers first, then by severity, then the
 * smallest effort first (quick wins among equals); fail before warn before not-verified breaks
 * the remaining ties. `waived` checks are accepted risks and get no action.
 */
export function prioritizedActions(results: readonly CheckResult[]): Action[] {
  const open = results.filter((r) => r.status in STATUS_RANK);
  open.sort(
    (a, b) =>
      Number(isBlocking(b)) - Number(isBlocking(a)) ||
      SEVERITY_WEIGHT[b.severity] - SEVERITY_WEIGHT[a.severity] ||
      a.effort.hours[1] - b.effort.hours[1] ||
      a.effort.hours[0] - b.effort.hours[0] ||
      (STATUS_RANK[a.status] ?? 9) - (STATUS_RANK[b.status] ?? 9) ||
      a.id.localeCompare(b.id),
  );
  return open.map((r, i) => ({
    rank: i + 1,
    checkId: r.id,
    title: r.title,
    severity: r.severity,
    status: r.status,
    blocker: isBlocking(r),
    text: actionText(r),
    ...(r.remediation.command ? { command: r.remediation.command } : {}),
    ...(r.remediation.url ? { url: r.remediation.url } : {}),
    effort: r.effort,
  }));
}

function actionText(r: CheckResult): string {
  if (r.status === 'unknown') return `Verify: ${r.summary}. ${r.remediation.text}`;
  if (r.status === 'manual') return `Attest: ${r.summary}`;
  return r.remediation.text;
}

const show = (v: string) => (isTbd(v) ? 'TBD' : v);

/** The dev-vs-prod table of DESIGN.md "Configuration", with the gap each row implies. */
export function gapRows(config: Config): GapRow[] {
  const rows: GapRow[] = [];
  const row = (item: string, dev: string, prod: string, action: string, same?: string) => {
    let gap: string;
    if (isTbd(prod)) gap = 'prod undecided (TBD)';
    else if (isTbd(dev)) gap = 'dev unknown (TBD)';
    else if (dev === prod) gap = same ?? 'prod shares the dev resource';
    else gap = 'none in config (existence checked by the Azure/Zoho checks)';
    rows.push({ item, dev: show(dev), prod: show(prod), gap, action: gap.startsWith('none') ? '—' : action });
  };
  const z = config.zoho;
  row('Zoho organization', `${show(z.dev.orgId)}${z.dev.sandbox ? ' (sandbox)' : ''}`, z.prod.orgId, 'Set zoho.prod.orgId to the production organization id');
  const bot = config.bot;
  const botProd = bot.registration === 'same' ? bot.dev.appId : bot.prod.appId;
  rows.push({
    item: 'Azure Bot registration',
    dev: show(bot.dev.appId),
    prod: bot.registration === 'TBD' ? 'TBD' : `${bot.registration}${isTbd(botProd) ? ' (app id TBD)' : ''}`,
    gap: bot.registration === 'TBD' ? 'decision pending: same or separate registration' : isTbd(botProd) ? 'prod app id TBD' : bot.registration === 'same' ? 'prod shares the dev registration' : 'none in config',
    action: bot.registration === 'TBD' ? 'Decide bot.registration (separate recommended) and record the prod app id' : isTbd(botProd) ? 'Record bot.prod.appId' : '—',
  });
  const a = config.azure;
  row('Key Vault', a.dev.keyVault, a.prod.keyVault, 'Create the prod Key Vault and set azure.prod.keyVault');
  row('Storage account', a.dev.storageAccount, a.prod.storageAccount, 'Create the prod storage account and set azure.prod.storageAccount');
  row('Cosmos DB account', a.dev.cosmosAccount, a.prod.cosmosAccount, 'Create a dedicated prod Cosmos DB account (or record why it is shared)');
  row('Resource group', a.dev.resourceGroup, a.prod.resourceGroup, 'Create the prod resource group and set azure.prod.resourceGroup');
  row('Domain', config.domain.dev, config.domain.prod, 'Decide the production host name and set domain.prod', 'prod uses the dev domain (allowed; make sure DNS points at the prod VM)');
  return rows;
}

/** What {@link buildReport} needs: the run's results and, optionally, what surrounds them. */
export interface ReportInput {
  meta: RunMeta;
  config: Config;
  results: CheckResult[];
  scores: Scores;
  waivers?: WaiverOutcome;
  /** probe outcomes of the run (for the key facts and the probe table) */
  outcomes?: ReadonlyMap<FactId, ProbeOutcome<unknown>>;
  /** the catalog (which probes each check reads; which checks take attestations) */
  checks?: readonly Check[];
  /** earlier complete runs in the output folder */
  earlier?: EarlierRuns;
  /** the commands log's hash chain */
  logChain?: LogChain;
}

/** This run as a diff sees it. */
export function runSummaryOf(meta: RunMeta, results: readonly CheckResult[], scores: Scores): RunSummary {
  return {
    runId: meta.runId,
    startedAt: meta.startedAt,
    incomplete: meta.incomplete,
    verdict: scores.verdict,
    score: scores.overall.score,
    results: results.map((r) => ({ id: r.id, title: r.title, section: r.section, severity: r.severity, status: r.status, blocker: r.blocker, summary: r.summary })),
  };
}

/** The trend and the change since the latest complete earlier run. */
export function historyOf(current: RunSummary, earlier: EarlierRuns | undefined): History {
  const runs = (earlier?.runs ?? []).filter((r) => !r.incomplete && r.runId !== current.runId && byStartedAt(r, current) < 0).sort(byStartedAt);
  const last = runs[runs.length - 1];
  const point = (r: RunSummary, isCurrent: boolean): TrendPoint => ({ runId: r.runId, startedAt: r.startedAt, score: r.score, verdict: r.verdict, current: isCurrent });
  return {
    trend: [...runs.slice(-(TREND_MAX - 1)).map((r) => point(r, false)), point(current, true)],
    previous: last ? diffRuns(last, current) : null,
    notes: earlier?.notes ?? [],
  };
}

/**
 * Attestations count only for the checks that ask for one (those reading
 * `project.attestations`): an attestation for an automated check cannot turn its finding into
 * a pass. Such attestations, and those naming no check, are pointed out.
 */
export function attestationNotes(outcomes: ReadonlyMap<FactId, ProbeOutcome<unknown>> | undefined, checks: readonly Check[] | undefined): string[] {
  const o = outcomes?.get('project.attestations');
  if (!o || !o.ok || !checks) return [];
  const scan = o.value as Attestations;
  const attested = checks.filter((c) => c.requires.includes('project.attestations') || (c.uses ?? []).includes('project.attestations')).map((c) => c.meta.id);
  const known = new Set(checks.map((c) => c.meta.id));
  const file = scan.file ?? 'predeploy.attest.yaml';
  const notes: string[] = [];
  for (const a of scan.items) {
    if (attested.includes(a.check)) continue;
    notes.push(
      known.has(a.check)
        ? `${file} line ${a.line}: the attestation for ${a.check} does not count — that check is verified by its probes; attestations count only for ${attested.join(', ')}`
        : `${file} line ${a.line}: the attestation names ${a.check}, which is no check (list them with: predeploy checks)`,
    );
  }
  return notes;
}

const AZURE_GAP_FACTS = ['azure.key-vault', 'azure.storage', 'azure.cosmos', 'azure.bot', 'azure.dns'] as const;
/** Config rows the Azure rows describe better (what exists in prod, not only what is decided). */
const REPLACED_BY_AZURE = new Set(['Key Vault', 'Storage account', 'Cosmos DB account']);

/** The dev-vs-prod table: decisions from the config, then what Azure says exists, when it answered. */
export function gapsOf(config: Config, outcomes: ReadonlyMap<FactId, ProbeOutcome<unknown>> | undefined): GapRow[] {
  const fromConfig = gapRows(config);
  if (!outcomes || !AZURE_GAP_FACTS.some((id) => outcomes.get(id)?.ok === true)) return fromConfig;
  const fromAzure = azureGapRows((id) => outcomes.get(id), { ...(isTbd(config.domain.prod) ? {} : { prodDomain: config.domain.prod }), messagingPath: config.bot.messagingPath });
  return [...fromConfig.filter((r) => !REPLACED_BY_AZURE.has(r.item)), ...fromAzure.map((r) => (r.action === '' ? { ...r, action: '—' } : r))];
}

export function buildReport(input: ReportInput): Report {
  const { meta, config, results, scores } = input;
  const actions = prioritizedActions(results);
  const totalEffortHours = actions.reduce<[number, number]>((t, a) => [t[0] + a.effort.hours[0], t[1] + a.effort.hours[1]], [0, 0]);
  return {
    schemaVersion: SCHEMA_VERSION,
    meta,
    verdict: scores.verdict,
    verdictReasons: scores.verdictReasons,
    score: scores.overall.score,
    sections: SECTIONS.map((s) => ({ id: s.id, number: s.number, title: s.title, ...scores.sections[s.id] })),
    counts: scores.overall.counts,
    results,
    blockers: results.filter(isBlocking),
    actions,
    totalEffortHours,
    gaps: gapsOf(config, input.outcomes),
    waivers: input.waivers ?? { applied: [], expired: [], unused: [] },
    probes: input.outcomes && input.checks ? probeRows(input.outcomes, input.checks) : [],
    keyFacts: input.outcomes && input.checks ? keyFacts(input.outcomes, input.checks) : [],
    history: historyOf(runSummaryOf(meta, results, scores), input.earlier),
    notes: attestationNotes(input.outcomes, input.checks),
    ...(input.logChain !== undefined ? { logChain: input.logChain } : {}),
  };
}
