/**
 * crontab lines — crontab(5): https://manpages.debian.org/bookworm/cron/crontab.5.en.html
 *
 * `m h dom mon dow [user] command` or `@keyword [user] command`; the user field exists only in
 * /etc/crontab and /etc/cron.d/* ("system" crontabs). `NAME = value` lines set the environment.
 * An unescaped `%` ends the command (the rest is its standard input) and `\%` is a literal `%`.
 */

export interface CronLine {
  /** 1-based line number */
  line: number;
  /** the five time fields joined by one space, or the `@keyword` */
  schedule: string;
  /** system crontabs only */
  user?: string;
  /** the command, up to the first unescaped `%`, with `\%` unescaped */
  command: string;
}

export interface Crontab {
  entries: CronLine[];
  /** `NAME=value` settings (names only: values such as MAILTO are not needed) */
  env: string[];
  /** lines that are neither a comment, a setting nor an entry */
  badLines: number[];
}

const KEYWORDS = new Set(['@reboot', '@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
/** One time field: `*`, `5`, `1-5`, `*\/15`, `mon-fri`, `jan,jul`, `4/2` (as cronie accepts). */
const VALUE = String.raw`(?:\d{1,2}|[A-Za-z]{3})`;
const ITEM = String.raw`(?:\*|${VALUE}(?:-${VALUE})?)(?:\/\d+)?`;
const FIELD = new RegExp(`^${ITEM}(?:,${ITEM})*$`);

/** The command part of a cron line: cut at the first unescaped `%`, `\%` → `%`. */
export function cronCommand(rest: string): string {
  let out = '';
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i];
    if (c === '\\' && rest[i + 1] === '%') {
      out += '%';
      i++;
    } else if (c === '%') break;
    else out += c;
  }
  return out.trim();
}

/** Split off `n` white-space separated words; returns them and the rest of the line as written. */
function words(text: string, n: number): { words: string[]; rest: string } | undefined {
  const out: string[] = [];
  let rest = text;
  for (let i = 0; i < n; i++) {
    const m = /^\s*(\S+)/.exec(rest);
    if (!m) return undefined;
    out.push(m[1] ?? '');
    rest = rest.slice(m[0].length);
  }
  return { words: out, rest };
}

/** Parse a crontab; `system` for /etc/crontab and /etc/cron.d files (with a user field). */
export function parseCrontab(text: string, system: boolean): Crontab {
  const result: Crontab = { entries: [], env: [], badLines: [] };
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    const t = line.trim();
    if (t === '' || t.startsWith('#')) return;
    // Settings start with a letter; the minute field never does.
    const setting = /^([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(t);
    if (setting) {
      result.env.push(setting[1] ?? '');
      return;
    }
    const first = /^\S+/.exec(t)?.[0] ?? '';
    const timeWords = KEYWORDS.has(first) ? 1 : 5;
    const split = words(t, timeWords + (system ? 1 : 0));
    if (!split) {
      result.badLines.push(i + 1);
      return;
    }
    const time = split.words.slice(0, timeWords);
    if (timeWords === 5 && !time.every((f) => FIELD.test(f))) {
      result.badLines.push(i + 1);
      return;
    }
    if (first.startsWith('@') && !KEYWORDS.has(first)) {
      result.badLines.push(i + 1);
      return;
    }
    const command = cronCommand(split.rest);
    if (command === '') {
      result.badLines.push(i + 1);
      return;
    }
    const user = system ? split.words[timeWords] : undefined;
    result.entries.push({ line: i + 1, schedule: time.join(' '), ...(user !== undefined ? { user } : {}), command });
  });
  return result;
}
