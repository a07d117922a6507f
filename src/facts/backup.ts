/**
 * Fact shapes of the local backup probes: scheduled backup jobs on the host
 * (src/probes/host/backup-jobs) and recovery / rollback runbooks in the project root
 * (src/probes/project/runbooks). Plain data; commands are masked (credential values removed)
 * and runbooks are described by their signals and headings, never by their content.
 */

/** When a job last did its work, and how that is known. */
export interface LastRun {
  /** ISO time */
  at: string;
  /** what the time is read from: a log file, an output file or directory, or `systemctl list-timers` */
  from: string;
  /** hours between `at` and the probe's clock, rounded to 0.1 */
  ageHours: number;
}

export interface BackupJob {
  kind: 'cron' | 'systemd-timer';
  /** where the job is defined, as the host sees it: `/etc/cron.d/orders-backup`, `crontab -l`, `orders-backup.timer` */
  source: string;
  /** 1-based line in `source` (cron only) */
  line?: number;
  /** cron schedule (`30 2 * * *`, `@daily`, `daily (run-parts)`) or the timer unit name */
  schedule: string;
  /** the user a system crontab line runs as, or the owner of a user crontab */
  user?: string;
  /** the command, with credential values masked */
  command: string;
  /** why it looks like a backup: `pg_dump`, `azcopy`, `name: backup` ... */
  signals: string[];
  /** scripts the command runs that were read for signals */
  scripts: string[];
  /** files the job writes its log to (`>> /var/log/backup.log`, `StandardOutput=append:`) */
  logFiles: string[];
  /** directories or files the job writes backups to, as far as the command and scripts say */
  outputs: string[];
  /** the newest evidence of a run; absent when nothing shows one */
  lastRun?: LastRun;
  /** set when cron or run-parts will never run this entry, with the reason */
  ignored?: string;
}

/** A source that could not be read completely. */
export interface SourceGap {
  source: string;
  reason: 'permission' | 'not-installed' | 'no-systemd' | 'failed';
  detail: string;
}

export interface BackupJobs {
  jobs: BackupJob[];
  /** scheduled entries looked at that are not backups (count) */
  otherEntries: number;
  /** files, directories and commands looked at */
  searched: string[];
  /** what could not be looked at */
  gaps: SourceGap[];
}

/** What a runbook is for. */
export type RunbookKind = 'recovery' | 'rollback';

export interface Runbook {
  /** path relative to the project root */
  file: string;
  kinds: RunbookKind[];
  /** the content clues matched, per kind: `restore`, `cosmos point-in-time restore`, `numbered steps` ... */
  signals: Partial<Record<RunbookKind, string[]>>;
  /** up to 12 Markdown headings, each cut to 80 characters */
  headings: string[];
  /** numbered step lines */
  steps: number;
  /** command lines (in code blocks or starting with `$ `) */
  commands: number;
}

export interface Runbooks {
  runbooks: Runbook[];
  /** documents read that are not runbooks (relative paths, at most 50) */
  otherDocuments: string[];
  /** where the probe looked, relative to the root (`docs/`, `runbooks/`, `*.md`) */
  searched: string[];
  /** documents that could not be read, with the reason */
  unreadable: string[];
}
