/**
 * The wire format between the ssh target and the remote `sh` that runs its commands (one
 * long-lived shell per ssh session, see ssh.ts). Pure: building the text sent on the shell's
 * stdin, and cutting the shell's stdout and stderr back into one result per command.
 *
 * Each command is one line (more when an argument holds a newline) built locally from an argv
 * the policy already allowed, every word single-quoted ({@link shellJoin}), stdin from
 * /dev/null (the command can never read the next commands), then a frame on each stream:
 *
 *   stdout: <output bytes><TOKEN>:<id>:<exit status>\n
 *   stderr: <output bytes><TOKEN>:<id>\n
 *
 * TOKEN is 32 random hex characters drawn for this connection and never written to any argv on
 * the host (it travels on the shell's stdin only), so no command's output — file contents,
 * a config dump — can end a frame early or forge an exit status: the output is every byte
 * before the token, exactly (no newline added or taken). Frame 0 is printed before the first
 * command: whatever the login shell prints before it (a banner, a motd) is dropped.
 */
import { shellJoin, shellQuote } from './shell-quote.js';

/** A frame's body and trailer. */
export interface Frame {
  /** the command's output, at most the cap */
  data: Buffer;
  /** the output was longer than the cap (the rest was read and dropped) */
  truncated: boolean;
  /** what followed the token up to the newline: `<id>:<status>` (stdout) or `<id>` (stderr) */
  trailer: string;
}

/**
 * Reads one stream of frames. Output bytes are kept up to the cap of the frame being read; the
 * stream is scanned in full for the token, across chunk boundaries.
 */
export class FrameReader {
  readonly #token: Buffer;
  #pending: Buffer = Buffer.alloc(0);
  #chunks: Buffer[] = [];
  #kept = 0;
  #truncated = false;
  /** bytes kept of the frame being read (set before each command) */
  cap: number;

  constructor(token: string, cap: number) {
    this.#token = Buffer.from(token, 'latin1');
    this.cap = cap;
  }

  #keep(b: Buffer): void {
    if (b.length === 0) return;
    const room = this.cap - this.#kept;
    if (b.length > room) this.#truncated = true;
    if (room <= 0) return;
    const part = b.length > room ? b.subarray(0, room) : b;
    this.#chunks.push(part);
    this.#kept += part.length;
  }

  /** The bytes read since the last frame (kept up to the cap, plus a held-back tail): a stream that ended mid-frame. */
  partial(): Buffer {
    return Buffer.concat([...this.#chunks, this.#pending]);
  }

  /** Feeds a chunk; returns the frames it completed, in order. */
  push(chunk: Buffer): Frame[] {
    const frames: Frame[] = [];
    let buf = this.#pending.length > 0 ? Buffer.concat([this.#pending, chunk]) : chunk;
    for (;;) {
      const at = buf.indexOf(this.#token);
      if (at < 0) {
        // the end may hold the first bytes of a token: keep them for the next chunk
        const safe = Math.max(0, buf.length - (this.#token.length - 1));
        this.#keep(buf.subarray(0, safe));
        this.#pending = Buffer.from(buf.subarray(safe));
        return frames;
      }
      const nl = buf.indexOf(10, at + this.#token.length);
      if (nl < 0) {
        this.#keep(buf.subarray(0, at));
        this.#pending = Buffer.from(buf.subarray(at));
        return frames;
      }
      this.#keep(buf.subarray(0, at));
      frames.push({ data: Buffer.concat(this.#chunks, this.#kept), truncated: this.#truncated, trailer: buf.subarray(at + this.#token.length + 1, nl).toString('latin1') });
      this.#chunks = [];
      this.#kept = 0;
      this.#truncated = false;
      buf = buf.subarray(nl + 1);
    }
  }
}

/** The text that makes the shell print frame `id` on both streams, with the exit status of what ran before it. */
function frameText(token: string, id: number): string {
  return `printf '%s:%s:%s\\n' ${shellQuote(token)} ${id} "$?"; printf '%s:%s\\n' ${shellQuote(token)} ${id} >&2\n`;
}

/** What the shell reads first: frame 0, which ends the login banner. */
export function helloScript(token: string): string {
  return frameText(token, 0);
}

/**
 * The text for one command: `argv` (already allowed) after the given prefix words (`env K=V`,
 * `timeout -k …`), stdin from /dev/null, then its frames. The first word is always an external
 * program (`env` or `timeout`): a quoted word can still name a shell builtin such as `exit`,
 * and no argv may reach the worker shell's own builtins.
 */
export function commandScript(token: string, id: number, prefix: readonly string[], argv: readonly string[]): string {
  const words = prefix[0] === 'env' || prefix[0] === 'timeout' ? [...prefix, ...argv] : ['env', ...prefix, ...argv];
  return `${shellJoin(words)} </dev/null\n${frameText(token, id)}`;
}

/** Parses a stdout trailer `<id>:<status>`. */
export function parseStatusTrailer(trailer: string): { id: number; status: number } | null {
  const m = /^(\d+):(\d+)$/.exec(trailer);
  return m ? { id: Number(m[1]), status: Number(m[2]) } : null;
}
