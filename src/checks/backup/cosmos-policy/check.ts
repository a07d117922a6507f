import { defineCheck } from '../../../engine/define.js';
import { cite, missingFinding } from '../../lib/azure.js';

/** A week of history: a mistake noticed after a weekend can still be undone. */
export const MIN_RETENTION_HOURS = 7 * 24;
/** Azure's default periodic interval; longer means more data lost on restore. */
export const MAX_INTERVAL_MINUTES = 240;

/**
 * Continuous backup gives point-in-time restore over 7 or 30 days
 * (https://learn.microsoft.com/azure/cosmos-db/continuous-backup-restore-introduction). The
 * periodic default (every 4 hours, kept 8 hours: https://learn.microsoft.com/azure/cosmos-db/periodic-backup-restore-introduction)
 * forgets everything older than 8 hours, so a periodic policy passes only with at least a week
 * of retention and an interval of at most 4 hours.
 */
export const check = defineCheck({
  meta: {
    id: 'backup.cosmos-policy',
    section: 'backup',
    title: 'Cosmos DB backups are continuous, or periodic with at least 7 days of retention every 4 hours or more often',
    severity: 'critical',
    blocker: true,
    effort: { size: 'S', hours: [1, 2] },
    remediation: {
      text: 'Switch the prod account to continuous backup (7 or 30 days), or set a periodic interval of at most 4 hours and a retention of at least 7 days.',
      command: 'az cosmosdb update --name <prod-cosmos> --resource-group <prod-rg> --backup-policy-type Continuous --continuous-tier Continuous30Days',
      url: 'https://learn.microsoft.com/azure/cosmos-db/continuous-backup-restore-introduction',
    },
    runs: 'ARM databaseAccounts get: backupPolicy (type, interval, retention, tier)',
  },
  requires: ['azure.cosmos'],
  evaluate(facts) {
    const { prod } = facts.need('azure.cosmos');
    if (prod.status !== 'found') return missingFinding(prod, 'the production Cosmos DB account', 'azure.cosmos');
    const a = prod.value;
    const b = a.backup;
    if (b.type === 'Continuous') {
      return { status: 'pass', summary: `${a.name}: continuous backup${b.tier !== undefined ? ` (${b.tier})` : ''}, point-in-time restore`, evidence: [cite(prod, `backupPolicy: Continuous ${b.tier ?? ''}`.trim())] };
    }
    if (b.type === 'unknown') {
      return {
        status: 'unknown',
        summary: `${a.name}: backup policy not reported${b.raw !== undefined ? ` (type ${b.raw})` : ''}`,
        evidence: [cite(prod, 'backupPolicy missing or of an unknown type')],
        unverified: [{ probe: 'azure.cosmos', cause: { kind: 'probe', probe: 'azure.cosmos', reason: 'failed' }, detail: `${a.name}: the ARM answer has no backupPolicy of a known type${b.raw !== undefined ? ` (${b.raw})` : ''}`, ...(prod.refs.length > 0 ? { refs: prod.refs } : {}) }],
      };
    }
    const interval = b.intervalMinutes;
    const retention = b.retentionHours;
    const evidence = [cite(prod, `backupPolicy: Periodic, every ${interval ?? '?'} minutes, kept ${retention ?? '?'} hours, ${b.storageRedundancy ?? '?'} redundant storage`)];
    if (retention === undefined || retention < MIN_RETENTION_HOURS) {
      return {
        status: 'fail',
        summary: `${a.name}: periodic backup kept only ${retention ?? '?'} hours (at least ${MIN_RETENTION_HOURS} needed): a mistake noticed later cannot be undone`,
        evidence,
      };
    }
    if (interval === undefined || interval > MAX_INTERVAL_MINUTES) {
      return { status: 'warn', summary: `${a.name}: periodic backup every ${interval ?? '?'} minutes: up to that much data lost on restore`, evidence };
    }
    return { status: 'pass', summary: `${a.name}: periodic backup every ${interval} minutes, kept ${retention} hours`, evidence };
  },
});
