/**
 * The commands log ("logging helper"): one entry per command, file read and HTTP call, in the
 * order they started. Text is redacted when it is written here, so nothing downstream (the
 * `13_PRODUCTION_DEPLOY_COMMANDS.log` writer, evidence in reports) can see a raw secret.
 */
import type { LogEntry } from '../engine/types.js';
import { entryHash, GENESIS_HASH, hashLine } from './log-chain.js';
import type { Redactor } from './redactor.js';

const DEFAULT_MAX_OUTPUT_BYTES = 16 * 1024;

/** What is known when an action starts. */
export interface LogBegin {
  kind: LogEntry['kind'];
  target: string;
  /** argv joined for display, `METHOD URL`, or a path; redacted here */
  action: string;
  probe?: string;
}

/** A started entry; `finish` once with the result (later calls are ignored). */
export interface LogHandle {
  readonly seq: number;
  finish(result: string, output: string, durationMs: number): void;
}

/**
 * Where entries go as the run goes (the streamed commands log). `append` is called once per
 * entry, when it is final: finished, and released by its probe (see `CommandLog.release`). The
 * entry is redacted; the sink formats it with `formatLogEntry` and writes it. Append order is
 * release order, not sequence order: a hanging command does not hold back the evidence of
 * the others. A sink must not throw (a write failure is its own state to report).
 */
export interface LogSink {
  append(entry: LogEntry): void;
}

export interface CommandLogOptions {
  /** the clock (injectable for tests) */
  now?: () => Date;
  /** cap on the redacted output kept per entry; default 16 KiB */
  maxOutputBytes?: number;
  /** receives each entry once it is final (the streamed commands log) */
  sink?: LogSink;
}

interface Slot {
  entry: LogEntry;
  startedAt: number;
  done: boolean;
  /** handed to the sink */
  sent: boolean;
  /** the output was cut by the cap (its end is re-trimmed for secrets learned later) */
  capped?: boolean;
}

/** The note {@link cap} appends; a capped entry is re-trimmed when a secret is learned later. */
const CUT_NOTE = /\n\[\.\.\. [0-9]+ bytes cut\]$/;

/**
 * Cuts text to at most maxBytes of UTF-8 (never inside a character) and says how much went.
 * The kept part loses any tail that could start a secret (`trim`): a value registered after
 * this entry was written is then never left half-shown at the cut.
 */
function cap(text: string, maxBytes: number, trim: (t: string) => string): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text; // counted without a copy
  const bytes = Buffer.from(text, 'utf8');
  let end = maxBytes;
  // back off continuation bytes (10xxxxxx) so we do not split a character
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  const kept = trim(bytes.subarray(0, end).toString('utf8'));
  return `${kept}${kept.endsWith('\n') ? '' : '\n'}[... ${bytes.length - end} bytes cut]`;
}

/** Collects log entries; sequence numbers start at 1 and follow the order actions began. */
export class CommandLog {
  readonly #redactor: Redactor;
  readonly #now: () => Date;
  readonly #maxOutputBytes: number;
  readonly #slots: Slot[] = [];
  readonly #sink: LogSink | undefined;
  /** probes whose entries go to the sink as soon as they finish */
  readonly #released = new Set<string>();

  constructor(redactor: Redactor, opts: CommandLogOptions = {}) {
    this.#redactor = redactor;
    this.#now = opts.now ?? (() => new Date());
    this.#maxOutputBytes = opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
    this.#sink = opts.sink;
  }

  /**
   * A probe is done with its entries: hand them to the sink. Until then a probe's finished
   * entries are held back, because the probe may learn a secret from the very output it logged
   * (the token in a token response, a password in a crontab line) and registers it with the
   * redactor only after reading it; what reaches the disk must already be redacted with it.
   */
  release(probe: string): void {
    this.#released.add(probe);
    for (const slot of this.#slots) if (slot.entry.probe === probe) this.#send(slot);
  }

  /** Entries with no probe, or whose probe was released, go to the sink when they finish. */
  #send(slot: Slot): void {
    if (this.#sink === undefined || slot.sent || !slot.done) return;
    if (slot.entry.probe !== undefined && !this.#released.has(slot.entry.probe)) return;
    slot.sent = true;
    const r = (s: string) => this.#redactor.redact(s);
    this.#sink.append({ ...slot.entry, action: r(slot.entry.action), result: r(slot.entry.result), output: r(slot.entry.output) });
  }

  /**
   * The sequence numbers of the file reads a probe made (not its `stat`/`list` look-ups), in
   * order. Cheap (no redaction, no hashing): the engine asks this once per finished probe, and
   * {@link entries} would redact and hash every entry of the run each time.
   */
  readsOf(probe: string): number[] {
    return this.#slots.filter(({ entry: e }) => e.probe === probe && e.kind === 'read' && !/^(stat|list) /.test(e.action)).map(({ entry }) => entry.seq);
  }

  /** How many entries have begun (the sequence number of the latest one). */
  get size(): number {
    return this.#slots.length;
  }

  /** Starts an entry and assigns its sequence number. */
  begin(e: LogBegin): LogHandle {
    const started = this.#now();
    const entry: LogEntry = {
      seq: this.#slots.length + 1,
      time: started.toISOString(),
      target: e.target,
      kind: e.kind,
      action: this.#redactor.redact(e.action),
      result: 'interrupted',
      durationMs: 0,
      output: '',
      ...(e.probe !== undefined ? { probe: e.probe } : {}),
    };
    const slot: Slot = { entry, startedAt: started.getTime(), done: false, sent: false };
    this.#slots.push(slot);
    return {
      seq: entry.seq,
      finish: (result, output, durationMs) => {
        if (slot.done) return;
        slot.done = true;
        entry.result = this.#redactor.redact(result);
        // redact before capping: a cap could cut a secret in half and hide it from the patterns
        entry.output = cap(this.#redactor.redact(output), this.#maxOutputBytes, (t) => this.#redactor.trimSecretPrefix(t));
        slot.capped = entry.output !== output && CUT_NOTE.test(entry.output);
        entry.durationMs = Math.max(0, Math.round(durationMs));
        this.#send(slot);
      },
    };
  }

  /**
   * A snapshot of all entries in sequence order. An entry that has not finished (the run was
   * interrupted) shows result `interrupted` and the time it has run so far.
   *
   * Text is redacted again here (redaction is idempotent): a secret learned after an entry was
   * written — the token in the very response that delivered it — is hidden from it too.
   */
  entries(): readonly LogEntry[] {
    const now = this.#now().getTime();
    const r = (s: string) => this.#redactor.redact(s);
    const cut = (s: string) => {
      const note = CUT_NOTE.exec(s);
      return note ? `${r(this.#redactor.trimSecretPrefix(s.slice(0, note.index)))}${note[0]}` : r(s);
    };
    return chainEntries(
      this.#slots.map(({ entry, startedAt, done, capped }) => ({
        ...entry,
        action: r(entry.action),
        result: r(entry.result),
        output: capped === true ? cut(entry.output) : r(entry.output),
        ...(done ? {} : { durationMs: Math.max(0, now - startedAt) }),
      })),
    );
  }
}

/**
 * Sets `prevHash` and `hash` on entries in sequence order (log-chain.ts). The hashes are over the
 * final, redacted text: computed on each snapshot, because a secret learned late re-redacts an
 * earlier entry and a hash taken before that would no longer match what is written.
 */
export function chainEntries(entries: readonly LogEntry[]): LogEntry[] {
  let prev = GENESIS_HASH;
  return entries.map((e) => {
    const { prevHash: _p, hash: _h, ...plain } = e;
    const hash = entryHash(prev, formatLogEntry(plain));
    const chained = { ...plain, prevHash: prev, hash };
    prev = hash;
    return chained;
  });
}

/** C0 controls other than tab and newline (terminal escapes, carriage returns), shown escaped. */
function escapeControls(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * One entry as a block of the commands log: a header line
 * `#<seq> <time> <target> <kind> <action> → <result> (<ms> ms)[ probe=<id>]`, then the output
 * indented by two spaces, then (for a chained entry) the hash line `@ prev=<sha256> sha256=<sha256>`.
 * Header lines start with `#`, output lines with two spaces, hash lines with `@`, so
 * `grep '^#'` lists the calls. Control characters are escaped so `cat` cannot be hijacked.
 */
export function formatLogEntry(e: LogEntry): string {
  const oneLine = (s: string) => escapeControls(s.replace(/\r?\n/g, '\\n'));
  const probe = e.probe !== undefined ? ` probe=${oneLine(e.probe)}` : '';
  const header = `#${e.seq} ${e.time} ${oneLine(e.target)} ${e.kind} ${oneLine(e.action)} → ${oneLine(e.result)} (${e.durationMs} ms)${probe}\n`;
  // the hash line goes last: the hash covers the block above it (log-chain.ts)
  const chain = e.prevHash !== undefined && e.hash !== undefined ? hashLine(e.prevHash, e.hash) : '';
  if (e.output === '') return header + chain;
  const body = escapeControls(e.output.replace(/\r\n/g, '\n').replace(/\n$/, ''))
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
  return `${header}${body}\n${chain}`;
}
