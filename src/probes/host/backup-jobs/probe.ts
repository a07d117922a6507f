/**
 * `host.backup-jobs`: scheduled jobs on the host that back up data, and when they last ran.
 *
 * Sources (cron(8) on Debian/Ubuntu — https://manpages.debian.org/bookworm/cron/cron.8.en.html):
 * - `/etc/crontab` and `/etc/cron.d/*` (system crontabs, with a user field). Debian's cron skips
 *   cron.d files whose names are not run-parts names (letters, digits, `_`, `-` — so
 *   `backup.cron` never runs) and files that are not owned by root or are group/other-writable:
 *   such entries are reported with `ignored`;
 * - `/etc/cron.{hourly,daily,weekly,monthly}/*` (run-parts: same naming rule, must be executable);
 * - `/var/spool/cron/crontabs/*` (per-user crontabs; the directory is root-only, so without root
 *   this is a `permission` gap) and `crontab -l` (the user running predeploy);
 * - `systemctl list-timers --all --no-pager` (TZ=UTC, so LAST is exact) and the service units of
 *   the timers in /etc/systemd/system (admin-made) or the package directories.
 *
 * A job is a backup when its command, its name or a script it runs shows a backup tool (see
 * signals.ts). Its last run is the newest of: the log it writes (`>> /var/log/backup.log`,
 * `StandardOutput=append:`), the files or directory it writes backups to, and a timer's LAST.
 */
import { posix } from 'node:path';
import { defineProbe } from '../../../engine/define.js';
import type { ExecResult, ProbeContext, ProbeResult } from '../../../engine/types.js';
import type { BackupJob, BackupJobs, LastRun, SourceGap } from '../../../facts/backup.js';
import { execFailure, firstLine } from '../exec-failure.js';
import { C_LOCALE } from '../locale.js';
import { errnoCode, isPermissionError } from '../../fs-error.js';
import { parseCrontab, type CronLine } from './cron.js';
import { isOsJob, jobPaths, maskCommand, nameSignal, toolSignals } from './signals.js';
import { LIST_TIMERS_ARGV, LIST_TIMERS_ENV, parseListTimers } from './timers.js';
import { parseServiceUnit } from './unit.js';

export const CRONTAB_ARGV = ['crontab', '-l'] as const;

/** Scripts larger than this are not read (a backup script is a page or two). */
const MAX_SCRIPT_BYTES = 256 * 1024;
/** Scripts read per job, and entries of an output directory stat'ed for their time. */
const MAX_SCRIPTS_PER_JOB = 4;
const MAX_NEWEST_ENTRIES = 5;
/** run-parts(8) names: only these characters, or the file is skipped. */
const RUN_PARTS_NAME = /^[A-Za-z0-9_-]+$/;
const NO_SYSTEMD = /not been booted with systemd|Failed to connect to bus|Host is down|System has not been booted/i;
const UNIT_DIRS = ['/etc/systemd/system', '/usr/local/lib/systemd/system', '/lib/systemd/system', '/usr/lib/systemd/system'];

const isPermission = isPermissionError;

interface Found {
  signals: string[];
  scripts: string[];
  logFiles: string[];
  outputs: string[];
}

class Collector {
  readonly jobs: BackupJob[] = [];
  readonly gaps: SourceGap[] = [];
  readonly searched: string[] = [];
  otherEntries = 0;
  private readonly scriptCache = new Map<string, string | null>();

  constructor(
    private readonly ctx: ProbeContext,
    private readonly fsRoot: string,
  ) {}

  private at(path: string): string {
    return this.fsRoot === '/' ? path : posix.join(this.fsRoot, path);
  }

  /** stat, or null when missing; an error (a directory we may not search) is recorded as a gap, not taken for "missing". */
  async stat(path: string) {
    try {
      return await this.ctx.stat(this.at(path));
    } catch (err) {
      this.fsGap(path, err);
      return null;
    }
  }

  /** Record a path that could not be read (once per path). */
  fsGap(path: string, err: unknown): void {
    if (this.gaps.some((g) => g.source === path)) return;
    this.gap(path, isPermission(err) ? 'permission' : 'failed', isPermission(err) ? `cannot read ${path}: permission denied (run predeploy as root)` : `cannot read ${path}: ${errnoCode(err) ?? 'error'}`);
  }

  /** Read a text file; null when missing; throws on permission errors so callers can record a gap. */
  async read(path: string, max = MAX_SCRIPT_BYTES): Promise<string | null> {
    const buf = await this.ctx.readFile(this.at(path), max);
    return buf === null ? null : buf.toString('utf8');
  }

  async list(path: string): Promise<string[] | null> {
    return this.ctx.readDir(this.at(path));
  }

  gap(source: string, reason: SourceGap['reason'], detail: string): void {
    this.gaps.push({ source, reason, detail });
  }

  /** A script's text when it is a small regular file; null otherwise. Cached per path. */
  private async script(path: string): Promise<string | null> {
    if (this.scriptCache.has(path)) return this.scriptCache.get(path) ?? null;
    let text: string | null = null;
    const st = await this.stat(path);
    if (st?.isFile && st.size <= MAX_SCRIPT_BYTES) {
      try {
        text = await this.read(path);
      } catch (err) {
        // the job may well be a backup: what its script does is unknown, which the gap says
        this.fsGap(path, err);
        text = null;
      }
      if (text !== null && text.includes('\0')) text = null; // a binary program
    }
    this.scriptCache.set(path, text);
    return text;
  }

  /** Signals and paths of a command and of the scripts it runs. */
  async analyse(command: string, extraScripts: readonly string[] = []): Promise<Found> {
    const paths = jobPaths(command);
    const found: Found = { signals: toolSignals(command), scripts: [], logFiles: [...paths.logFiles], outputs: [...paths.outputs] };
    const program = command.trim().split(/\s+/)[0] ?? '';
    const fromName = nameSignal(program);
    if (fromName && !program.startsWith('/')) found.signals.push(fromName);
    for (const candidate of [...new Set([...extraScripts, ...paths.candidates])].slice(0, MAX_SCRIPTS_PER_JOB)) {
      const text = await this.script(candidate);
      const name = nameSignal(candidate);
      if (text === null) {
        // An unreadable or large script still counts by its name, when it is a file that exists.
        if (name && (await this.stat(candidate))?.isFile) found.signals.push(name);
        continue;
      }
      found.scripts.push(candidate);
      if (name) found.signals.push(name);
      found.signals.push(...toolSignals(text));
      const inner = jobPaths(text);
      found.logFiles.push(...inner.logFiles);
      found.outputs.push(...inner.outputs);
    }
    return {
      signals: [...new Set(found.signals)],
      scripts: found.scripts,
      logFiles: [...new Set(found.logFiles)],
      outputs: [...new Set(found.outputs)].filter((p) => !found.logFiles.includes(p)),
    };
  }

  /** The newest modification among logs and outputs (a directory: itself and its last-named entries). */
  async lastRun(found: Found, timerLastMs?: number): Promise<LastRun | undefined> {
    let best: { ms: number; from: string } | undefined;
    const consider = (ms: number, from: string) => {
      if (!best || ms > best.ms) best = { ms, from };
    };
    for (const p of [...found.logFiles, ...found.outputs]) {
      const st = await this.stat(p);
      if (!st) continue;
      consider(st.mtimeMs, p);
      if (!st.isDirectory) continue;
      let names: string[] | null = null;
      try {
        names = await this.list(p);
      } catch (err) {
        this.fsGap(`${p}/`, err);
        names = null;
      }
      for (const n of (names ?? []).sort().reverse().slice(0, MAX_NEWEST_ENTRIES)) {
        const s = await this.stat(posix.join(p, n));
        if (s?.isFile) consider(s.mtimeMs, posix.join(p, n));
      }
    }
    if (timerLastMs !== undefined) consider(timerLastMs, 'systemctl list-timers (LAST)');
    const found2 = best as { ms: number; from: string } | undefined;
    if (!found2) return undefined;
    const ageHours = Math.round(((this.ctx.now().getTime() - found2.ms) / 3_600_000) * 10) / 10;
    return { at: new Date(found2.ms).toISOString(), from: found2.from, ageHours };
  }

  /** Record a job when it looks like a backup; count it otherwise. */
  async add(base: Omit<BackupJob, 'signals' | 'scripts' | 'logFiles' | 'outputs' | 'command'> & { command: string }, extra: { scripts?: string[]; logFiles?: string[]; nameOf?: string; timerLastMs?: number } = {}): Promise<void> {
    if (isOsJob(base.command) || (extra.nameOf !== undefined && isOsJob(extra.nameOf))) {
      this.otherEntries++;
      return;
    }
    const found = await this.analyse(base.command, extra.scripts ?? []);
    found.logFiles = [...new Set([...(extra.logFiles ?? []), ...found.logFiles])];
    const named = extra.nameOf !== undefined ? nameSignal(extra.nameOf) : undefined;
    if (named) found.signals = [...new Set([named, ...found.signals])];
    if (found.signals.length === 0) {
      this.otherEntries++;
      return;
    }
    const masked = maskCommand(base.command);
    for (const s of masked.secrets) this.ctx.addSecret(s);
    const lastRun = await this.lastRun(found, extra.timerLastMs);
    this.jobs.push({ ...base, command: masked.text, ...found, ...(lastRun ? { lastRun } : {}) });
  }
}

/** Why Debian's cron would skip a /etc/cron.d file, or undefined. */
function cronDIgnored(name: string, st: { uid: number; mode: number } | null): string | undefined {
  if (!RUN_PARTS_NAME.test(name)) return `cron ignores /etc/cron.d files whose names contain anything but letters, digits, "_" and "-" (cron(8)); rename it`;
  if (st && st.uid !== 0) return 'cron ignores /etc/cron.d files not owned by root (cron(8))';
  if (st && (st.mode & 0o022) !== 0) return 'cron ignores /etc/cron.d files that are group- or other-writable (cron(8))';
  return undefined;
}

async function cronFile(c: Collector, path: string, system: boolean, user: string | undefined, ignored?: string): Promise<void> {
  c.searched.push(path);
  let text: string | null;
  try {
    text = await c.read(path, 1024 * 1024);
  } catch (err) {
    c.gap(path, isPermission(err) ? 'permission' : 'failed', isPermission(err) ? `cannot read ${path}: permission denied (run predeploy as root)` : `cannot read ${path}: ${errnoCode(err) ?? 'error'}`);
    return;
  }
  if (text === null) return;
  for (const e of parseCrontab(text, system).entries) await cronEntry(c, path, e, user, ignored);
}

async function cronEntry(c: Collector, source: string, e: CronLine, owner: string | undefined, ignored?: string): Promise<void> {
  const user = e.user ?? owner;
  await c.add({ kind: 'cron', source, line: e.line, schedule: e.schedule, ...(user !== undefined ? { user } : {}), command: e.command, ...(ignored ? { ignored } : {}) });
}

const failText = (r: ExecResult): string => firstLine(r.stderr) ?? firstLine(r.stdout) ?? `exit ${r.exitCode ?? '?'}`;

/** Collect with file-system paths under `fsRoot` (tests point it at a temp tree). */
export async function collectBackupJobs(ctx: ProbeContext, fsRoot = '/'): Promise<ProbeResult<BackupJobs>> {
  const c = new Collector(ctx, fsRoot);

  // System crontab and /etc/cron.d
  await cronFile(c, '/etc/crontab', true, undefined);
  c.searched.push('/etc/cron.d/');
  try {
    for (const name of (await c.list('/etc/cron.d')) ?? []) {
      if (name.startsWith('.') || name === '.placeholder') continue;
      const path = `/etc/cron.d/${name}`;
      const st = await c.stat(path);
      if (!st?.isFile) continue;
      await cronFile(c, path, true, undefined, cronDIgnored(name, st));
    }
  } catch (err) {
    c.gap('/etc/cron.d/', isPermission(err) ? 'permission' : 'failed', `cannot list /etc/cron.d: ${errnoCode(err) ?? 'error'}`);
  }

  // run-parts directories
  for (const period of ['hourly', 'daily', 'weekly', 'monthly']) {
    const dir = `/etc/cron.${period}`;
    c.searched.push(`${dir}/`);
    let names: string[] | null;
    try {
      names = await c.list(dir);
    } catch (err) {
      c.gap(`${dir}/`, isPermission(err) ? 'permission' : 'failed', `cannot list ${dir}: ${errnoCode(err) ?? 'error'}`);
      continue;
    }
    for (const name of names ?? []) {
      if (name === '.placeholder') continue;
      const path = `${dir}/${name}`;
      const st = await c.stat(path);
      if (!st?.isFile) continue;
      const ignored = !RUN_PARTS_NAME.test(name)
        ? `run-parts skips ${dir} files whose names contain anything but letters, digits, "_" and "-"; rename it`
        : (st.mode & 0o111) === 0
          ? `run-parts skips ${dir} files that are not executable; chmod +x it`
          : undefined;
      await c.add({ kind: 'cron', source: dir, schedule: `${period} (run-parts ${dir})`, user: 'root', command: path, ...(ignored ? { ignored } : {}) }, { scripts: [path] });
    }
  }

  // Per-user crontabs (root-only directory)
  const spool = '/var/spool/cron/crontabs';
  c.searched.push(`${spool}/`);
  const fromSpool = new Set<string>();
  try {
    for (const user of (await c.list(spool)) ?? []) {
      if (user.startsWith('.')) continue;
      const before = c.jobs.length;
      await cronFile(c, `${spool}/${user}`, false, user);
      for (const j of c.jobs.slice(before)) fromSpool.add(`${j.schedule}|${j.command}`);
    }
  } catch (err) {
    c.gap(
      `${spool}/`,
      isPermission(err) ? 'permission' : 'failed',
      isPermission(err) ? `cannot list ${spool} (root only): other users' crontabs were not read; run predeploy as root` : `cannot list ${spool}: ${errnoCode(err) ?? 'error'}`,
    );
  }

  // The current user's crontab
  c.searched.push('crontab -l');
  const cl = await ctx.exec(CRONTAB_ARGV, { env: { ...C_LOCALE } });
  if (cl.exitCode === 1 && /no crontab for/i.test(cl.stderr)) {
    // no crontab: a value, not a failure
  } else {
    const failure = execFailure(cl, { program: 'crontab', debianPackage: 'cron' });
    if (failure) {
      c.gap('crontab -l', failure.reason === 'not-installed' ? 'not-installed' : failure.reason === 'permission' ? 'permission' : 'failed', failure.detail);
    } else {
      for (const e of parseCrontab(cl.stdout, false).entries) {
        const before = c.jobs.length;
        await cronEntry(c, 'crontab -l', e, undefined);
        const added = c.jobs[before];
        // As root, `crontab -l` repeats root's spool file: keep one copy.
        if (added && fromSpool.has(`${added.schedule}|${added.command}`)) c.jobs.splice(before, 1);
      }
    }
  }

  // systemd timers
  c.searched.push(LIST_TIMERS_ARGV.join(' '));
  const lt = await ctx.exec(LIST_TIMERS_ARGV, { env: { ...LIST_TIMERS_ENV } });
  const ltFailure = execFailure(lt, { program: 'systemctl', debianPackage: 'systemd' });
  if (ltFailure && NO_SYSTEMD.test(`${lt.stderr}\n${lt.stdout}`)) {
    c.gap(LIST_TIMERS_ARGV.join(' '), 'no-systemd', `systemd is not running on this host (${failText(lt)}): no timers can run here`);
  } else if (ltFailure) {
    c.gap(LIST_TIMERS_ARGV.join(' '), ltFailure.reason === 'not-installed' ? 'not-installed' : ltFailure.reason === 'permission' ? 'permission' : 'failed', ltFailure.detail);
  } else {
    const rows = parseListTimers(lt.stdout, ctx.now());
    if (rows === undefined) {
      c.gap(LIST_TIMERS_ARGV.join(' '), 'failed', `unexpected systemctl list-timers output: ${firstLine(lt.stdout) ?? '(empty)'}`);
    } else {
      for (const row of rows) {
        const service = row.activates || row.unit.replace(/\.timer$/, '.service');
        let unitFile: string | undefined;
        let unitText: string | null = null;
        for (const dir of UNIT_DIRS) {
          try {
            unitText = await c.read(`${dir}/${service}`, 64 * 1024);
          } catch (err) {
            c.fsGap(`${dir}/${service}`, err);
            unitText = null;
          }
          if (unitText !== null) {
            unitFile = `${dir}/${service}`;
            break;
          }
        }
        const unit = unitText !== null ? parseServiceUnit(unitText) : { execStart: [], logFiles: [] };
        await c.add(
          { kind: 'systemd-timer', source: unitFile ?? row.unit, schedule: row.unit, command: unit.execStart.join(' ; ') || service },
          { nameOf: `${row.unit} ${service}`.split(' ').find((n) => nameSignal(n) !== undefined) ?? row.unit, logFiles: unit.logFiles, ...(row.lastMs !== undefined ? { timerLastMs: row.lastMs } : {}) },
        );
      }
    }
  }

  return { ok: true, value: { jobs: c.jobs, otherEntries: c.otherEntries, searched: c.searched, gaps: c.gaps } };
}

/** `host.backup-jobs`. */
export const backupJobsProbe = defineProbe({
  id: 'host.backup-jobs',
  describe: 'read /etc/crontab, /etc/cron.d, /etc/cron.{hourly,daily,weekly,monthly}, /var/spool/cron/crontabs; crontab -l; systemctl list-timers --all --no-pager',
  collect: (ctx) => collectBackupJobs(ctx),
});
