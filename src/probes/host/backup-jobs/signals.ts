/**
 * What makes a scheduled command a backup, where it writes, and how to show it without its
 * credentials. Pure functions over the text of a cron command, an `ExecStart=` line or a script.
 */
import { posix } from 'node:path';

/** Tools and CLI calls that copy data somewhere else (label → pattern). */
const TOOL_SIGNALS: readonly (readonly [string, RegExp])[] = [
  ['pg_dump', /\bpg_dump(?:all)?\b/],
  ['pg_basebackup', /\bpg_basebackup\b/],
  ['mysqldump', /\b(?:mysqldump|mariadb-dump)\b/],
  ['mongodump', /\bmongodump\b/],
  ['sqlite3 .backup', /\bsqlite3\b[^\n]*\.backup\b/],
  ['azcopy', /\bazcopy\s+(?:copy|cp|sync)\b/],
  ['az storage blob upload', /\baz\s+storage\s+blob\s+(?:upload(?:-batch)?|sync|copy\s+start(?:-batch)?)\b/],
  ['az storage copy', /\baz\s+storage\s+(?:copy|file\s+upload(?:-batch)?)\b/],
  ['az cosmosdb', /\baz\s+cosmosdb\b/],
  ['az snapshot create', /\baz\s+snapshot\s+create\b/],
  ['az backup backup-now', /\baz\s+backup\s+protection\s+backup-now\b/],
  ['restic', /\brestic\b/],
  ['borg create', /\bborg\s+create\b|\bborgmatic\b/],
  ['duplicity', /\bduplicity\b/],
  ['rclone', /\brclone\s+(?:copy|sync|move)\b/],
  ['rsnapshot', /\brsnapshot\b/],
  ['rsync', /\brsync\b/],
  ['tar (create)', /\btar\s+(?:-[A-Za-z]*c[A-Za-z]*|c[A-Za-z]*|--create)\b/],
  // The Azure Cosmos DB Data Migration Tool: `dt /s:DocumentDB ... /t:JsonFile ...`
  ['dt (Cosmos DB data migration tool)', /(?:^|[\s;&|/])dt(?:\.exe)?\s+\/s:/i],
];

/** Jobs the OS ships that back up its own state, not the application's data. */
const OS_JOBS = /\bdpkg-db-backup\b/;

/** Signals in a command or script text. */
export function toolSignals(text: string): string[] {
  return TOOL_SIGNALS.filter(([, re]) => re.test(text)).map(([label]) => label);
}

/** `name: backup` when a script, unit or program name says so (`backup-orders.sh`, `orders-backup.timer`, `db-dump`). */
export function nameSignal(name: string): string | undefined {
  if (OS_JOBS.test(name)) return undefined;
  const m = /backup|dump|snapshot/i.exec(posix.basename(name));
  return m ? `name: ${m[0].toLowerCase()}` : undefined;
}

/** True for jobs the OS ships for itself (dpkg's database backup). */
export function isOsJob(text: string): boolean {
  return OS_JOBS.test(text);
}

/** Directories whose files are programs, never job scripts to read. */
const PROGRAM_DIRS = /^\/(?:usr\/)?(?:s?bin|lib|lib64|libexec)\//;

/** A cleaned absolute path token, or undefined: quotes stripped, dynamic tail cut to its directory. */
function cleanPath(token: string): string | undefined {
  const t = token.replace(/^["']|["';,)]+$/g, '');
  if (!t.startsWith('/') || t === '/' || t.startsWith('/dev/') || t.startsWith('/proc/')) return undefined;
  const dyn = t.search(/[$`*?[{]/);
  if (dyn < 0) return posix.normalize(t).replace(/(.)\/+$/, '$1');
  const head = t.slice(0, dyn);
  const dir = head.endsWith('/') ? head.slice(0, -1) : posix.dirname(head);
  return dir === '' || dir === '/' ? undefined : posix.normalize(dir);
}

/** Simple `NAME=/abs/path` assignments, to expand `$NAME/...` and `${NAME}/...`. */
function assignments(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const m of text.matchAll(/(?:^|[\s;])(?:export\s+|readonly\s+|local\s+)?([A-Za-z_][A-Za-z0-9_]*)=["']?(\/[^\s"';$`]*)/g)) {
    vars.set(m[1] ?? '', m[2] ?? '');
  }
  return vars;
}

function expand(text: string, vars: Map<string, string>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (all, a: string | undefined, b: string | undefined) => vars.get(a ?? b ?? '') ?? all);
}

export interface JobPaths {
  /** absolute paths the command runs or reads that may be scripts (not redirect targets) */
  candidates: string[];
  /** files the command appends or writes its log to */
  logFiles: string[];
  /** files or directories the command writes backups to */
  outputs: string[];
}

/** Variables whose value is where a backup goes. */
const OUTPUT_VAR = /(?:DIR|DEST|TARGET|OUT|BACKUP|ARCHIVE|REPO)/i;
/** Options whose value is where output goes. */
const OUTPUT_FLAG = /^(?:-f|--file|-o|--out|--output|--archive|--destination|--dest|-r|--repo|--repository)$/;

const isLog = (p: string): boolean => p.endsWith('.log') || p.startsWith('/var/log/');

/**
 * Paths in a command line or script: scripts it runs, where it logs (`>> /var/log/backup.log`,
 * `2>&1 | tee -a /var/log/x.log`) and where it writes backups (`pg_dump -f /var/backups/x.sql`,
 * `tar czf /srv/backup/x.tgz`, `BACKUP_DIR=/var/backups/orders`, `borg create /repo::name`).
 */
export function jobPaths(text: string): JobPaths {
  const vars = assignments(text);
  const out: JobPaths = { candidates: [], logFiles: [], outputs: [] };
  const add = (list: string[], p: string | undefined) => {
    if (p !== undefined && !list.includes(p)) list.push(p);
  };
  for (const [name, value] of vars) if (OUTPUT_VAR.test(name) && !isLog(value)) add(out.outputs, cleanPath(value));
  for (const rawLine of text.split('\n')) {
    const line = expand(rawLine.replace(/(^|\s)#.*$/, '$1'), vars);
    // Redirections: `> f`, `>> f`, `2> f`, `&>> f`, `1>>f`
    const redirected = new Set<string>();
    for (const m of line.matchAll(/(?:^|[^<>&\d])(?:\d|&)?>>?\s*([^\s;&|]+)/g)) {
      const p = cleanPath(m[1] ?? '');
      if (p === undefined) continue;
      redirected.add(m[1] ?? '');
      add(isLog(p) ? out.logFiles : out.outputs, p);
    }
    for (const m of line.matchAll(/\btee\s+(?:-a\s+|--append\s+)?([^\s;&|]+)/g)) add(out.logFiles, cleanPath(m[1] ?? ''));
    const tokens = line.split(/\s+/).filter(Boolean);
    tokens.forEach((tok, i) => {
      const eq = /^(--[a-z-]+)=(.+)$/.exec(tok);
      if (eq && OUTPUT_FLAG.test(eq[1] ?? '')) add(out.outputs, cleanPath(eq[2] ?? ''));
      if (OUTPUT_FLAG.test(tok) && tokens[i + 1] !== undefined) add(out.outputs, cleanPath(tokens[i + 1] ?? ''));
      // tar czf <archive>, tar -czf <archive>: the word after the bundled flags holding `f`
      if (/^tar$/.test(tok) && /^-?[A-Za-z]*f[A-Za-z]*$/.test(tokens[i + 1] ?? '') && tokens[i + 2] !== undefined) add(out.outputs, cleanPath(tokens[i + 2] ?? ''));
      // borg create /repo::archive
      if (tok.includes('::') && tokens.slice(0, i).includes('create')) add(out.outputs, cleanPath(tok.split('::')[0] ?? ''));
    });
    // rsync/rclone/cp: the last absolute path on the line is the destination
    if (/\b(?:rsync|rclone|cp)\b/.test(line)) {
      const paths = tokens.filter((t) => t.startsWith('/') && !redirected.has(t));
      add(out.outputs, cleanPath(paths[paths.length - 1] ?? ''));
    }
    for (const tok of tokens) {
      if (redirected.has(tok)) continue;
      const p = cleanPath(tok);
      if (p !== undefined && !PROGRAM_DIRS.test(p) && p === tok.replace(/^["']|["';,)]+$/g, '')) add(out.candidates, p);
    }
  }
  out.candidates = out.candidates.filter((p) => !out.outputs.includes(p) && !out.logFiles.includes(p));
  return out;
}

/** Environment names and options whose values are credentials in backup commands. */
const SECRET_ENV = /(?:PASS|PASSWORD|PASSWD|PWD|SECRET|TOKEN|KEY|SAS|CONNECTION_STRING)$/i;
const SECRET_FLAG = /^--(?:account-key|sas-token|password|passphrase|connection-string|client-secret|secret|key|token)$/;

/**
 * The command with credential values replaced by `***`, and the values (for the redactor):
 * `PGPASSWORD=x pg_dump`, `--account-key x`, `--sas-token=x`, `mysqldump -px`,
 * `AccountKey=x;` in a connection string, `https://user:x@host`.
 */
export function maskCommand(command: string): { text: string; secrets: string[] } {
  const secrets: string[] = [];
  const keep = (v: string) => {
    const s = v.replace(/^["']|["']$/g, '');
    if (s.length >= 4) secrets.push(s);
  };
  let text = command.replace(/\b([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|[^\s;]+)/g, (all, name: string, value: string) => {
    if (!SECRET_ENV.test(name)) return all;
    keep(value);
    return `${name}=***`;
  });
  text = text.replace(/(--[a-z-]+)(=|\s+)("[^"]*"|'[^']*'|[^\s;]+)/g, (all, flag: string, sep: string, value: string) => {
    if (!SECRET_FLAG.test(flag)) return all;
    keep(value);
    return `${flag}${sep}***`;
  });
  // `mysqldump -pSECRET` (MySQL's attached password); elsewhere `-p5432` is a port.
  if (/\b(?:mysql|mysqldump|mariadb|mariadb-dump)\b/.test(command)) {
    text = text.replace(/(\s-p)([^\s-][^\s]*)/g, (_all, flag: string, value: string) => {
      keep(value);
      return `${flag}***`;
    });
  }
  text = text.replace(/(AccountKey|SharedAccessSignature|SharedAccessKey|sig)=([^;&\s"']+)/gi, (_all, k: string, v: string) => {
    keep(v);
    return `${k}=***`;
  });
  text = text.replace(/([a-z][a-z0-9+.-]*:\/\/[^/@\s:]*):([^/@\s]+)@/gi, (_all, head: string, pw: string) => {
    keep(pw);
    return `${head}:***@`;
  });
  return { text, secrets };
}
