/**
 * The commands log as the run goes: `13_PRODUCTION_DEPLOY_COMMANDS.log` is created when the
 * run folder is, with a header that says the run has not finished, and every entry is appended
 * as soon as it is final (redacted, formatted by `formatLogEntry`). Each append is one
 * synchronous write(2): once it returns the bytes are the kernel's, so a `kill -9` of predeploy
 * a moment later still leaves them in the file. An fdatasync follows in the background (one at
 * a time) so they also survive a crash of the machine. When the run ends, the CLI replaces the
 * file atomically with the complete log in sequence order; a file that still has the streaming
 * header is the evidence of a run that was killed (or is still running).
 */
import { closeSync, fdatasync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { ResourceError } from '../engine/errors.js';
import type { LogEntry } from '../engine/types.js';
import { LOG_FILE } from '../reporters/text.js';
import { formatLogEntry, type LogSink } from '../safety/command-log.js';
import { resourceError } from './run-folder.js';

export class LogStream implements LogSink {
  readonly path: string;
  #fd: number | null;
  /** the first write that failed (a full or read-only file system); appends stop there */
  #error: ResourceError | null = null;
  #syncing: Promise<void> | null = null;
  #dirty = false;

  /** Creates the file (exclusively) and writes its header; throws a ResourceError. */
  constructor(dir: string, header: string) {
    this.path = join(dir, LOG_FILE);
    try {
      this.#fd = openSync(this.path, 'wx', 0o640);
    } catch (err) {
      throw resourceError(this.path, err);
    }
    this.#write(header);
    if (this.#error !== null) {
      this.#close();
      throw this.#error;
    }
  }

  append(entry: LogEntry): void {
    this.#write(`${formatLogEntry(entry)}\n`);
  }

  /** Waits for the last background sync and closes the file. */
  async close(): Promise<void> {
    while (this.#syncing !== null) await this.#syncing;
    this.#close();
  }

  #write(text: string): void {
    if (this.#fd === null || this.#error !== null) return;
    try {
      const bytes = Buffer.from(text, 'utf8');
      let off = 0;
      while (off < bytes.length) off += writeSync(this.#fd, bytes, off, bytes.length - off);
    } catch (err) {
      // ENOSPC, EDQUOT, EIO: keep the run going; the stream stops here, and writing the run's
      // files at the end (the complete log replaces this one) meets and reports the same problem
      this.#error = resourceError(this.path, err);
      this.#close();
      return;
    }
    this.#sync();
  }

  /** One fdatasync in flight at a time; writes that land meanwhile are covered by the next. */
  #sync(): void {
    if (this.#syncing !== null) {
      this.#dirty = true;
      return;
    }
    const fd = this.#fd;
    if (fd === null) return;
    this.#dirty = false;
    this.#syncing = new Promise<void>((resolve) => fdatasync(fd, () => resolve())).then(() => {
      this.#syncing = null;
      if (this.#dirty) this.#sync();
    });
  }

  #close(): void {
    if (this.#fd === null) return;
    try {
      closeSync(this.#fd);
    } catch {
      // already gone: nothing left to keep
    }
    this.#fd = null;
  }
}
