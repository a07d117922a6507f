/**
 * The key raw facts behind the security-posture and backup-status sections: for each probe the
 * section's checks read, one line of what it saw (or why it saw nothing), with its log entries.
 * The checks judge; these lines let a reader see the facts the judgement rests on.
 *
 * Probes without a summarizer here still get a line ("collected" or the failure reason), so a
 * new probe shows up without changing this file.
 */
import { SECTIONS, type Check, type ProbeOutcome, type SectionId } from '../engine/types.js';
import type { FactId, FactTypes } from '../facts/index.js';

/** One probe's key facts. */
export interface KeyFact {
  section: SectionId;
  probe: string;
  /** false when the probe failed: `value` says why */
  ok: boolean;
  value: string;
  refs: number[];
  durationMs: number;
}

/** One probe of the run: whether it succeeded, how long it took, which sections read it. */
export interface ProbeRow {
  id: string;
  ok: boolean;
  /** the failure reason (`permission`, `timeout`, ...) when not ok */
  reason?: string;
  detail?: string;
  durationMs: number;
  refs: number[];
  sections: SectionId[];
}

/** Sections whose key facts the report shows. */
export const KEY_FACT_SECTIONS: readonly SectionId[] = ['security', 'backup'];

type Summarizers = { [K in FactId]?: (v: FactTypes[K]) => string };

const LOOPBACK = /^(127\.|::1$|::ffff:127\.|localhost$)/;

const SUMMARIZERS: Summarizers = {
  'host.ufw': (u) => (u.active ? `${u.statusLine}; ${u.defaultLine ?? 'default policies not shown'}; ${u.rules.length} rule line(s)` : u.statusLine),
  'host.listening': (sockets) => {
    const pub = new Map<number, Set<string>>();
    let local = 0;
    for (const s of sockets) {
      if (LOOPBACK.test(s.address)) {
        local += 1;
        continue;
      }
      const names = pub.get(s.port) ?? new Set<string>();
      for (const p of s.processes ?? (s.process ? [s.process] : [])) names.add(p);
      pub.set(s.port, names);
    }
    const ports = [...pub.entries()].sort((a, b) => a[0] - b[0]).map(([port, names]) => (names.size > 0 ? `${port} (${[...names].join(', ')})` : `${port}`));
    return `TCP listening on non-loopback addresses: ${ports.length > 0 ? ports.join(', ') : 'none'}; loopback-only sockets: ${local}`;
  },
  'host.sshd': ({ options }) => {
    const keys = ['port', 'permitrootlogin', 'passwordauthentication', 'kbdinteractiveauthentication', 'pubkeyauthentication', 'maxauthtries', 'x11forwarding'];
    return keys
      .filter((k) => options[k] !== undefined)
      .map((k) => `${k} ${(options[k] ?? []).join(',')}`)
      .join('; ');
  },
  'host.apt-upgradable': (a) => {
    const security = a.packages.filter((p) => p.security).length;
    const lists = a.refreshed ? 'package lists refreshed first' : `package lists not refreshed${a.listsAgeHours !== undefined ? ` (${Math.round(a.listsAgeHours)} h old)` : ''}`;
    return `${a.packages.length} upgradable package(s), ${security} from security suites; ${lists}${a.refreshError ? `; refresh failed: ${a.refreshError}` : ''}`;
  },
  'host.fail2ban': (f) => {
    if (!f.running) return `fail2ban server not running${f.detail ? `: ${f.detail}` : ''}`;
    const jails = f.jails.map((j) => `${j.name}${j.currentlyBanned !== undefined ? ` (${j.currentlyBanned} banned now, ${j.totalBanned ?? '?'} total)` : ''}`);
    return `fail2ban running; jails: ${jails.length > 0 ? jails.join(', ') : 'none'}`;
  },
};

/** Read a field of an unknown value (for facts whose shapes this module does not import). */
const field = (o: unknown, k: string): unknown => (o !== null && typeof o === 'object' && Object.hasOwn(o, k) ? (o as Record<string, unknown>)[k] : undefined);
const list = (o: unknown, k: string): unknown[] => {
  const v = field(o, k);
  return Array.isArray(v) ? v : [];
};
const str = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '?');

/**
 * Summarizers read structurally, by probe id: the backup probes' fact shapes live with those
 * probes, and a summary must never be why the report cannot be written.
 */
const STRUCTURAL: Readonly<Record<string, (v: unknown) => string>> = {
  'host.backup-jobs': (v) => {
    const jobs = list(v, 'jobs').filter((j) => field(j, 'ignored') === undefined);
    const gaps = list(v, 'gaps').length;
    const each = jobs.map((j) => {
      const age = field(field(j, 'lastRun'), 'ageHours');
      return `${str(field(j, 'source'))} (${str(field(j, 'schedule'))}; ${typeof age === 'number' ? `last run ${Math.round(age)} h ago` : 'no run seen'})`;
    });
    return `${jobs.length} scheduled backup job(s)${each.length > 0 ? `: ${each.join(', ')}` : ''}${gaps > 0 ? `; ${gaps} source(s) could not be read` : ''}`;
  },
  'project.runbooks': (v) => {
    const books = list(v, 'runbooks').map((b) => `${str(field(b, 'file'))} (${list(b, 'kinds').map(str).join(', ')})`);
    return `${books.length} runbook(s)${books.length > 0 ? `: ${books.join(', ')}` : ''}`;
  },
};

function summarize(id: FactId, value: unknown): string {
  const f = (SUMMARIZERS[id] as ((v: unknown) => string) | undefined) ?? STRUCTURAL[id];
  if (f === undefined) return 'collected (see the commands log)';
  try {
    return f(value);
  } catch {
    return 'collected (see the commands log)';
  }
}

/** The probes each section's checks read (required or used), from the catalog. */
export function probesBySection(checks: readonly Check[]): Map<FactId, SectionId[]> {
  const map = new Map<FactId, SectionId[]>();
  for (const c of checks) {
    for (const id of [...c.requires, ...(c.uses ?? [])]) {
      const list = map.get(id) ?? [];
      if (!list.includes(c.meta.section)) list.push(c.meta.section);
      map.set(id, list);
    }
  }
  return map;
}

const sectionOrder = (s: SectionId): number => SECTIONS.findIndex((x) => x.id === s);

/** Every probe that ran, in id order, with the sections that read it. */
export function probeRows(outcomes: ReadonlyMap<FactId, ProbeOutcome<unknown>>, checks: readonly Check[]): ProbeRow[] {
  const sections = probesBySection(checks);
  return [...outcomes.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([id, o]) => ({
      id,
      ok: o.ok,
      ...(o.ok ? {} : { reason: o.reason, detail: o.detail }),
      durationMs: o.durationMs,
      refs: o.refs,
      sections: [...(sections.get(id) ?? [])].sort((a, b) => sectionOrder(a) - sectionOrder(b)),
    }));
}

/** The key facts of the security and backup sections, from the probe outcomes. */
export function keyFacts(outcomes: ReadonlyMap<FactId, ProbeOutcome<unknown>>, checks: readonly Check[]): KeyFact[] {
  const sections = probesBySection(checks);
  const out: KeyFact[] = [];
  for (const section of KEY_FACT_SECTIONS) {
    const ids = [...outcomes.keys()].filter((id) => sections.get(id)?.includes(section)).sort();
    for (const id of ids) {
      const o = outcomes.get(id)!;
      out.push({
        section,
        probe: id,
        ok: o.ok,
        value: o.ok ? summarize(id, o.value) : `not collected: ${o.reason} — ${o.detail}`,
        refs: o.refs,
        durationMs: o.durationMs,
      });
    }
  }
  return out;
}
