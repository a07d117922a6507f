/**
 * The report model: everything the reporters print, as plain data. `report.json` is this
 * object; the other reporters are pure functions of it (plus the log entries for the log file).
 */
import type { Config } from '../config/schema.js';
import { isTbd } from '../config/tbd.js';
import type { Scores } from '../engine/scoring.js';
import { SECTIONS, SEVERITY_WEIGHT, type CheckResult, type Effort, type Severity } from '../engine/types.js';

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
}

const isBlocking = (r: CheckResult) => r.blocker && r.status === 'fail';

/** fail before warn before not-verified; within that severity; then the smallest effort first. */
const STATUS_RANK: Record<string, number> = { fail: 0, warn: 1, unknown: 2, manual: 3 };

export function prioritizedActions(results: readonly CheckResult[]): Action[] {
  const open = results.filter((r) => r.status in STATUS_RANK);
  open.sort(
    (a, b) =>
      Number(isBlocking(b)) - Number(isBlocking(a)) ||
      (STATUS_RANK[a.status] ?? 9) - (STATUS_RANK[b.status] ?? 9) ||
      SEVERITY_WEIGHT[b.severity] - SEVERITY_WEIGHT[a.severity] ||
      a.effort.hours[1] - b.effort.hours[1] ||
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

export function buildReport(input: { meta: RunMeta; config: Config; results: CheckResult[]; scores: Scores }): Report {
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
    gaps: gapRows(config),
  };
}
