/**
 * The report the reporter golden files are rendered from. Its checks are a fixed catalog of its
 * own (ids from docs/ARCHITECTURE.md, metadata written here), so the golden files change when a reporter
 * changes — not when a check's wording or the catalog does. Every status appears; waivers are
 * applied, expired and unused; probe outcomes feed the key facts; an attestation for an
 * automated check is ignored; two earlier runs give the trend and the change since the last run.
 *
 * `catalogResults` builds results over the real catalog, for the tests that are about the
 * catalog's size (the paste-back's 120 lines, the order of actions).
 */
import { CHECKS } from '../../src/checks/index.js';
import { ORDER_PROCESSING_PROFILE } from '../../src/config/profile.js';
import type { Config } from '../../src/config/schema.js';
import { score } from '../../src/engine/scoring.js';
import { causeKey } from '../../src/engine/causes.js';
import type { Cause, Check, CheckMeta, CheckResult, ProbeOutcome, SectionId, Severity, Status } from '../../src/engine/types.js';
import { applyWaivers, type Waiver } from '../../src/engine/waivers.js';
import type { FactId } from '../../src/facts/index.js';
import type { RunSummary } from '../../src/reporters/diff.js';
import { buildReport, runSummaryOf, type Report, type RunMeta } from '../../src/reporters/model.js';
import { attestationNotes, probeRows } from '../../src/engine/run-meta.js';
import { summaries } from '../../src/checks/lib/key-facts.js';
import { botDecisionGapRows, cosmosGapRows, domainGapRows, keyVaultGapRows, resourceGroupGapRows, storageGapRows, zohoGapRows } from '../../src/checks/lib/gaps.js';
import type { CheckContext, Facts, GapRow, KeyFact } from '../../src/engine/types.js';

/** A probe id as the catalog names it; the backup probes' ids arrive with their issue. */
const probe = (id: string): FactId => id as FactId;

interface Row {
  id: string;
  severity: Severity;
  blocker?: boolean;
  status: Status;
  summary: string;
  /** probes read (key facts) */
  reads?: string[];
  /** not assessed by this version */
  pending?: boolean;
  command?: string;
  /** why it could not be verified (unknown rows); no Azure credentials when not given */
  cause?: Cause;
}

/** The fixture catalog, with each check's status in this run. */
const ROWS: Row[] = [
  { id: 'infra.prod-resources', severity: 'critical', status: 'unknown', summary: 'not assessed: Azure resource probes', pending: true },
  { id: 'infra.key-vault', severity: 'critical', status: 'fail', summary: 'pippai-keyvault-prod does not exist in subscription 0000', command: 'az keyvault create --name <prod-vault> --enable-purge-protection true' },
  { id: 'security.os-patches', severity: 'high', status: 'unknown', summary: 'could not verify: probe host.apt-upgradable permission denied: sudo: a password is required', reads: ['host.apt-upgradable'], cause: { kind: 'sudo-password' } },
  { id: 'security.firewall', severity: 'critical', status: 'fail', summary: 'ufw is inactive: every listening port is reachable', reads: ['host.ufw'], command: 'sudo ufw enable' },
  { id: 'security.fail2ban', severity: 'high', status: 'warn', summary: 'fail2ban runs the sshd jail only; no nginx jail', reads: ['host.fail2ban'] },
  { id: 'security.ssh', severity: 'critical', status: 'pass', summary: 'sshd refuses root and password logins', reads: ['host.sshd'] },
  { id: 'security.open-ports', severity: 'high', status: 'fail', summary: 'postgres listens on 0.0.0.0:5432 | not in allowedPublicPorts', reads: ['host.listening', 'host.ufw'] },
  { id: 'security.tls-certificate', severity: 'critical', status: 'unknown', summary: 'could not verify: probe web.live timed out: no answer from 203.0.113.10:443 in 20 s', cause: { kind: 'unreachable', endpoint: 'https://orders.example.com' } },
  { id: 'secrets.in-key-vault', severity: 'critical', status: 'pass', summary: 'no secret value in the .env files' },
  { id: 'secrets.rotation-policy', severity: 'medium', status: 'unknown', summary: 'not assessed: Zoho and bot credential probes', pending: true, cause: { kind: 'no-credentials', service: 'zoho' } },
  { id: 'monitoring.alert-service-down', severity: 'high', blocker: true, status: 'unknown', summary: 'could not verify: probe azure.monitor no credentials: az login has not been run', pending: false },
  { id: 'monitoring.log-shipping', severity: 'medium', status: 'fail', summary: 'no log shipper runs on the host' },
  { id: 'backup.cosmos-policy', severity: 'critical', status: 'unknown', summary: 'could not verify: network probes are off (--offline)', cause: { kind: 'offline' } },
  { id: 'backup.vm-backup', severity: 'high', status: 'pass', summary: 'a nightly pg_dump job ran 7 h ago', reads: ['host.backup-jobs'] },
  { id: 'backup.recovery-procedure', severity: 'high', status: 'warn', summary: 'a recovery runbook exists; no restore drill is attested', reads: ['project.runbooks'] },
  { id: 'zoho.prod-oauth', severity: 'critical', status: 'unknown', summary: 'not assessed: Zoho probes', pending: true, cause: { kind: 'no-credentials', service: 'zoho' } },
  { id: 'zoho.webhooks', severity: 'medium', status: 'n/a', summary: 'not applicable: no webhooks in this deployment' },
  { id: 'bot.decision', severity: 'high', status: 'warn', summary: 'bot.registration is TBD' },
  { id: 'bot.messaging-endpoint', severity: 'critical', status: 'unknown', summary: 'not assessed: Azure Bot resource probes', pending: true },
  { id: 'golive.uat', severity: 'high', blocker: true, status: 'pass', summary: 'attested by Jane (ops) on 2026-11-20', reads: ['project.attestations'] },
  { id: 'golive.rollback', severity: 'high', blocker: true, status: 'manual', summary: 'needs a person to confirm that the rollback was rehearsed; add under "attestations:" in predeploy.attest.yaml', reads: ['project.attestations'] },
  { id: 'golive.window', severity: 'medium', status: 'pass', summary: 'attested by Ops lead on 2026-11-21', reads: ['project.attestations'] },
];

const EFFORT: Record<Severity, CheckMeta['effort']> = {
  critical: { size: 'M', hours: [2, 6] },
  high: { size: 'S', hours: [1, 2] },
  medium: { size: 'S', hours: [0.5, 1] },
  low: { size: 'S', hours: [0.5, 0.5] },
};

const sectionOf = (id: string): SectionId => id.split('.')[0] as SectionId;

/** The fixture catalog as checks (for the key facts and the attestation notes). */
export const FIXTURE_CHECKS: Check[] = ROWS.map((r) => ({
  meta: {
    id: r.id,
    section: sectionOf(r.id),
    title: `${r.id} is production-ready`,
    severity: r.severity,
    ...(r.blocker ? { blocker: true } : {}),
    effort: EFFORT[r.severity],
    remediation: { text: `Make ${r.id} production-ready.`, ...(r.command ? { command: r.command } : {}), url: `https://docs.example.test/${r.id}` },
    runs: r.reads ? r.reads.join(', ') : 'the Azure and Zoho APIs',
  },
  requires: (r.reads ?? []).map(probe),
  evaluate: () => ({ status: r.status, summary: r.summary, evidence: [] }),
}));

/** The fixture run's results, before waivers. */
export function fixtureResults(): CheckResult[] {
  return ROWS.map((r, i) => {
    const c = FIXTURE_CHECKS[i]!;
    return {
      id: r.id,
      section: c.meta.section,
      title: c.meta.title,
      severity: r.severity,
      status: r.status,
      summary: r.summary,
      evidence: r.pending ? [] : [{ text: `evidence for ${r.id} <b>&amp;</b>`, refs: [i + 1] }],
      effort: c.meta.effort,
      remediation: c.meta.remediation,
      blocker: r.blocker === true || r.severity === 'critical',
      runs: c.meta.runs,
      keyFacts: KEY_FACTS[r.id]?.(factsOf(outcomes())) ?? [],
      gapRows: GAP_ROWS[r.id]?.(factsOf(outcomes()), { config: ORDER_PROCESSING_PROFILE, now: new Date('2026-11-26T00:00:00.000Z') }) ?? [],
      unverified: r.status === 'unknown' ? [{ probe: 'azure.session', cause: r.cause ?? { kind: 'no-credentials', service: 'azure' }, detail: r.summary }] : [],
    };
  });
}

/** Every check of the real catalog, with the status `pick` gives it. */
export function catalogResults(pick: (id: string, i: number) => Status): CheckResult[] {
  return CHECKS.map((c, i) => {
    const status = pick(c.meta.id, i);
    return {
      id: c.meta.id,
      section: c.meta.section,
      title: c.meta.title,
      severity: c.meta.severity,
      status,
      summary: `${status} summary for ${c.meta.id}`,
      evidence: [{ text: `evidence for ${c.meta.id}`, refs: [i + 1] }],
      effort: c.meta.effort,
      remediation: c.meta.remediation,
      blocker: c.meta.blocker === true || c.meta.severity === 'critical',
      runs: c.meta.runs,
      keyFacts: [],
      gapRows: [],
      unverified: status === 'unknown' ? [{ probe: 'azure.session', cause: { kind: 'no-credentials', service: 'azure' }, detail: 'no Azure credentials' }] : [],
    };
  });
}

export const meta = (o: { incomplete?: boolean; runId?: string; startedAt?: string; offline?: boolean; partial?: boolean; skipped?: string[] } = {}): RunMeta => ({
  runId: o.runId ?? 'golden',
  tool: { name: 'predeploy', version: '0.0.0-test' },
  root: '/data/order-processing',
  outDir: `/data/order-processing/_codex_predeploy/${o.runId ?? 'golden'}`,
  target: 'local',
  profile: 'order-processing',
  configSource: null,
  startedAt: o.startedAt ?? '2026-11-26T00:00:00.000Z',
  finishedAt: '2026-11-26T00:00:01.234Z',
  durationMs: 1234,
  offline: o.offline ?? false,
  partial: o.partial ?? (o.offline === true || (o.skipped ?? []).length > 0),
  incomplete: o.incomplete ?? false,
  skipped: o.skipped ?? [],
  logEntries: 2,
  files: ['13_PRODUCTION_DEPLOY_REPORT.md', 'PRODUCTION_READINESS_CHECKLIST.md', 'report.json', 'report.sarif', 'report.junit.xml', 'report.html', '13_PRODUCTION_DEPLOY_COMMANDS.log'],
});

const ok = <T,>(value: T, refs: number[]): ProbeOutcome<T> => ({ ok: true, value, refs, durationMs: 12 });

/** Probe outcomes behind the key facts (the probes' real shapes, captured-looking values). */
export function outcomes(): Map<FactId, ProbeOutcome<unknown>> {
  const m = new Map<FactId, ProbeOutcome<unknown>>();
  m.set('host.ufw', ok({ active: false, statusLine: 'Status: inactive', rules: [] }, [4]));
  m.set(
    'host.listening',
    ok(
      [
        { proto: 'tcp', address: '0.0.0.0', port: 22, process: 'sshd', processes: ['sshd'], raw: 'LISTEN 0 128 0.0.0.0:22' },
        { proto: 'tcp', address: '::', port: 443, process: 'nginx', processes: ['nginx'], raw: 'LISTEN 0 511 [::]:443' },
        { proto: 'tcp', address: '0.0.0.0', port: 5432, process: 'postgres', processes: ['postgres'], raw: 'LISTEN 0 244 0.0.0.0:5432' },
        { proto: 'tcp', address: '127.0.0.1', port: 3000, process: 'node', processes: ['node'], raw: 'LISTEN 0 511 127.0.0.1:3000' },
      ],
      [7],
    ),
  );
  m.set('host.sshd', ok({ options: { port: ['22'], permitrootlogin: ['no'], passwordauthentication: ['no'], pubkeyauthentication: ['yes'] } }, [6]));
  m.set('host.apt-upgradable', { ok: false, reason: 'permission', detail: 'sudo: a password is required', refs: [3], durationMs: 8 });
  m.set('host.fail2ban', ok({ running: true, jails: [{ name: 'sshd', currentlyBanned: 2, totalBanned: 17 }] }, [5, 8]));
  m.set(
    probe('host.backup-jobs'),
    ok(
      {
        jobs: [{ kind: 'cron', source: '/etc/cron.d/orders-backup', schedule: '30 2 * * *', command: 'pg_dump orders', signals: ['pg_dump'], scripts: [], logFiles: [], outputs: [], lastRun: { at: '2026-11-25T17:00:00Z', from: 'log', ageHours: 7 } }],
        otherEntries: 3,
        searched: ['/etc/crontab'],
        gaps: [],
      },
      [14],
    ),
  );
  m.set(probe('project.runbooks'), ok({ runbooks: [{ file: 'docs/RECOVERY.md', kinds: ['recovery'], signals: {}, headings: [], steps: 6, commands: 3 }], otherDocuments: [], searched: ['docs/'], unreadable: [] }, [15]));
  m.set(
    'project.attestations',
    ok(
      {
        file: 'predeploy.attest.yaml',
        items: [
          { check: 'golive.uat', by: 'Jane (ops)', date: '2026-11-20', evidence: 'https://tickets.example/UAT-1', line: 2 },
          { check: 'security.firewall', by: 'Jane (ops)', date: '2026-11-20', evidence: 'we checked', line: 7 },
        ],
      },
      [20],
    ),
  );
  return m;
}

/** Read access to the fixture outcomes, as a check sees them. */
function factsOf(m: Map<FactId, ProbeOutcome<unknown>>): Facts {
  return {
    need: ((id: FactId) => {
      const o = m.get(id);
      if (!o?.ok) throw new Error(`fact ${id} is not available`);
      return o.value;
    }) as Facts['need'],
    maybe: ((id: FactId) => m.get(id)) as Facts['maybe'],
    refs: (id) => m.get(id)?.refs ?? [],
  };
}

/** The key facts and gap rows the owning checks attach (the real summarisers and gap rows). */
const KEY_FACTS: Record<string, (f: Facts) => KeyFact[]> = {
  'security.firewall': summaries('host.ufw'),
  'security.open-ports': summaries('host.listening'),
  'security.ssh': summaries('host.sshd'),
  'security.os-patches': summaries('host.apt-upgradable'),
  'security.fail2ban': summaries('host.fail2ban'),
  'backup.vm-backup': summaries('host.backup-jobs'),
  'backup.recovery-procedure': summaries('project.runbooks'),
};
const GAP_ROWS: Record<string, (f: Facts, c: CheckContext) => GapRow[]> = {
  'infra.prod-resources': resourceGroupGapRows,
  'infra.key-vault': keyVaultGapRows,
  'infra.storage': storageGapRows,
  'infra.cosmos': cosmosGapRows,
  'infra.dns': domainGapRows,
  'zoho.prod-org-id': zohoGapRows,
  'bot.decision': botDecisionGapRows,
};

/** One waiver applied, one expired, one not needed. */
export const WAIVERS: Waiver[] = [
  { check: 'security.open-ports', reason: 'postgres is bound to the VNet only by the NSG until the VM is rebuilt', approver: 'CTO (A. Person)', expires: '2026-12-31' },
  { check: 'monitoring.log-shipping', reason: 'temporary exception for the pilot', approver: 'Ops lead', expires: '2026-11-01' },
  { check: 'golive.window', reason: 'no longer needed', approver: 'Ops lead', expires: '2027-06-30' },
];

/** Two earlier complete runs: an older one, and the one this run is compared with. */
export function earlierRuns(current: readonly CheckResult[] = fixtureResults()): RunSummary[] {
  const older = current.map((r) => ({ ...r, status: r.status === 'n/a' ? r.status : ('fail' as Status) }));
  const was: Record<string, Status> = { 'security.ssh': 'fail', 'golive.uat': 'manual', 'secrets.in-key-vault': 'warn', 'bot.decision': 'pass', 'monitoring.log-shipping': 'pass' };
  const previous = current.map((r) => ({ ...r, status: was[r.id] ?? r.status }));
  return [
    runSummaryOf(meta({ runId: 'run-1', startedAt: '2026-11-20T09:00:00.000Z' }), older, score(older)),
    runSummaryOf(meta({ runId: 'run-2', startedAt: '2026-11-24T09:00:00.000Z' }), previous, score(previous)),
  ];
}

/** The golden report. */
export function goldenReport(config: Config = ORDER_PROCESSING_PROFILE): Report {
  const applied = applyWaivers(fixtureResults(), WAIVERS, new Date('2026-11-26T00:00:00.000Z'));
  return buildReport({
    meta: meta(),
    results: applied.results.map((r) => ({ ...r, gapRows: r.gapRows.length > 0 ? (GAP_ROWS[r.id]?.(factsOf(outcomes()), { config, now: new Date('2026-11-26T00:00:00.000Z') }) ?? []) : [] })),
    scores: score(applied.results),
    waivers: applied.waivers,
    probes: probeRows(outcomes(), FIXTURE_CHECKS),
    notes: attestationNotes(outcomes(), FIXTURE_CHECKS),
    earlier: { runs: earlierRuns(), notes: ['earlier run broken-1 left out: report.json is not valid JSON'] },
  });
}

/** The usual first run: no cloud credentials. Host checks pass; the Azure, Zoho and bot sides are unknown for want of credentials. */
export function noCredentialsResults(): CheckResult[] {
  const causeOf = (id: string): Cause | undefined => {
    if (id === 'secrets.bot-credentials') return { kind: 'no-credentials', service: 'bot' };
    if (id.startsWith('zoho.') || id === 'secrets.zoho-prod-tokens') return { kind: 'no-credentials', service: 'zoho' };
    if (/^(infra|monitoring|backup|bot)\./.test(id) && id !== 'infra.services' && id !== 'infra.disk-usage') return { kind: 'no-credentials', service: 'azure' };
    return undefined;
  };
  return catalogResults((id) => (causeOf(id) ? 'unknown' : 'pass')).map((r) => {
    const cause = causeOf(r.id);
    return cause ? { ...r, summary: `could not verify: ${causeKey(cause)}`, unverified: [{ probe: 'azure.session', cause, detail: `could not verify: ${causeKey(cause)}` }] } : r;
  });
}
