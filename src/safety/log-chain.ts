/**
 * The commands log's hash chain: every entry carries the SHA-256 of the entry before it
 * (`prevHash`) and of itself (`hash` = sha256(prevHash + "\n" + its block)), where the block is
 * the entry exactly as the log file shows it without the hash line (formatLogEntry). Changing a
 * byte of an entry, or deleting, inserting or reordering entries, breaks the chain at that
 * entry; the head (the last hash) is recorded in report.json and the report's footer, so
 * cutting entries off the end shows too. See docs/bundle-format.md ("Tamper evidence").
 */
import { createHash } from 'node:crypto';
import type { LogEntry } from '../engine/types.js';

/** The `prevHash` of entry #1. */
export const GENESIS_HASH = '0'.repeat(64);

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The hash of one entry block given the hash before it. */
export function entryHash(prevHash: string, block: string): string {
  return sha256Hex(`${prevHash}\n${block}`);
}

/** The hash line of an entry in the log text; output lines start with two spaces, headers with `#`. */
export function hashLine(prevHash: string, hash: string): string {
  return `@ prev=${prevHash} sha256=${hash}\n`;
}

export const HASH_LINE = /^@ prev=([0-9a-f]{64}) sha256=([0-9a-f]{64})$/;

/** The chain's summary as report.json carries it. */
export interface LogChain {
  algorithm: 'sha256';
  genesis: string;
  /** the hash of the last entry (the genesis hash when the log is empty) */
  head: string;
  entries: { seq: number; prevHash: string; hash: string }[];
}

export function chainSummary(entries: readonly LogEntry[]): LogChain {
  const list = entries.map((e) => ({ seq: e.seq, prevHash: e.prevHash ?? '', hash: e.hash ?? '' }));
  return { algorithm: 'sha256', genesis: GENESIS_HASH, head: list.at(-1)?.hash ?? GENESIS_HASH, entries: list };
}
