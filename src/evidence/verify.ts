/**
 * `predeploy verify`: recomputes a run folder's or a bundle's evidence — the commands log's hash
 * chain, the chain as report.json and the report's footer record it, and SHA256SUMS — and
 * names what does not match. Pure: it gets the files' bytes (src/cli reads them and runs
 * ssh-keygen for signatures).
 */
import { LOG_FILE } from '../reporters/text.js';
import { entryHash, GENESIS_HASH, HASH_LINE, sha256Hex } from '../safety/log-chain.js';
import { parseSums } from './bundle.js';
import { BUNDLE_LOG, BUNDLE_REPORT, MANIFEST_FILE, SIG_FILE, SUMS_FILE } from './format.js';

export const REPORT_MD = '13_PRODUCTION_DEPLOY_REPORT.md';

export interface ChainedEntry {
  seq: number;
  prevHash: string;
  hash: string;
}

/** Checks the hash chain of a commands log text; returns the entries and the problems, first first. */
export function verifyLogText(text: string, file: string): { entries: ChainedEntry[]; problems: string[] } {
  const problems: string[] = [];
  const entries: ChainedEntry[] = [];
  let block: string[] | undefined;
  let blockSeq = 0;
  let prev = GENESIS_HASH;
  let expected = 1;
  for (const [i, line] of text.split('\n').entries()) {
    const header = /^#(\d+) /.exec(line);
    const hashed = HASH_LINE.exec(line);
    if (header) {
      if (block) problems.push(`${file}: entry #${blockSeq} has no hash line`);
      block = [line];
      blockSeq = Number(header[1]);
    } else if (hashed && block) {
      const content = block.join('\n') + '\n';
      const [, p = '', h = ''] = hashed;
      if (blockSeq !== expected) problems.push(`${file}: entry #${blockSeq} where #${expected} was expected (an entry was deleted, inserted or reordered)`);
      if (p !== prev) problems.push(`${file}: entry #${blockSeq} does not follow the entry before it (its prev hash is not that entry's hash: an entry was deleted, inserted or reordered)`);
      if (entryHash(p, content) !== h) problems.push(`${file}: entry #${blockSeq} does not match its hash (its text was changed)`);
      entries.push({ seq: blockSeq, prevHash: p, hash: h });
      prev = h;
      expected = blockSeq + 1;
      block = undefined;
    } else if (block) {
      block.push(line);
    } else if (line !== '' && !line.startsWith('# ')) {
      problems.push(`${file}: line ${i + 1} belongs to no entry`);
    }
  }
  if (block) problems.push(`${file}: entry #${blockSeq} has no hash line`);
  return { entries, problems };
}

interface ReportChain {
  logChain?: { head?: unknown; entries?: unknown };
}

/** Everything that does not match, the first mismatch first; empty when all is intact. */
export function verifyFiles(files: ReadonlyMap<string, Buffer>): { kind: 'bundle' | 'run folder'; problems: string[] } {
  const kind = files.has(MANIFEST_FILE) ? 'bundle' : 'run folder';
  const logName = kind === 'bundle' ? BUNDLE_LOG : LOG_FILE;
  const problems: string[] = [];

  // 1. the commands log's chain, entry by entry
  const log = files.get(logName);
  let chain: ChainedEntry[] | undefined;
  if (log === undefined) problems.push(`${logName} is missing`);
  else {
    const v = verifyLogText(log.toString('utf8'), logName);
    chain = v.entries;
    problems.push(...v.problems);
  }
  const head = chain?.at(-1)?.hash ?? GENESIS_HASH;

  // 2. the chain as report.json records it (an entry cut off the end, or a re-chained log)
  const reportBuf = files.get(BUNDLE_REPORT);
  if (reportBuf === undefined) problems.push(`${BUNDLE_REPORT} is missing`);
  else {
    let report: ReportChain | undefined;
    try {
      report = JSON.parse(reportBuf.toString('utf8')) as ReportChain;
    } catch {
      problems.push(`${BUNDLE_REPORT} is not valid JSON (it was edited)`);
    }
    const rc = report?.logChain;
    if (report !== undefined && rc === undefined) problems.push(`${BUNDLE_REPORT} records no commands-log hash chain`);
    if (rc !== undefined && chain !== undefined) {
      const listed = Array.isArray(rc.entries) ? (rc.entries as ChainedEntry[]) : [];
      const n = Math.max(listed.length, chain.length);
      for (let i = 0; i < n; i++) {
        const a = listed[i];
        const b = chain[i];
        if (a?.seq !== b?.seq || a?.hash !== b?.hash || a?.prevHash !== b?.prevHash) {
          problems.push(`${BUNDLE_REPORT}: the chain it records differs from ${logName} at entry #${b?.seq ?? a?.seq ?? i + 1}`);
          break;
        }
      }
      if (rc.head !== head) problems.push(`${BUNDLE_REPORT}: chain head ${String(rc.head).slice(0, 12)}… is not the head of ${logName} (${head.slice(0, 12)}…)`);
    }
  }

  // 3. the head the Markdown report's footer shows
  const md = files.get(REPORT_MD);
  if (md !== undefined) {
    const m = /hash chain head \(SHA-256 of entry #\d+\): `([0-9a-f]{64})`/.exec(md.toString('utf8'));
    if (!m) problems.push(`${REPORT_MD}: no chain head in its footer`);
    else if (m[1] !== head) problems.push(`${REPORT_MD}: the chain head in its footer is not the head of ${logName}`);
  }

  // 4. every file against SHA256SUMS
  const sumsBuf = files.get(SUMS_FILE);
  if (sumsBuf === undefined) problems.push(`${SUMS_FILE} is missing`);
  else {
    const { sums, bad } = parseSums(sumsBuf.toString('utf8'));
    problems.push(...bad);
    for (const [name, hex] of sums) {
      const buf = files.get(name);
      if (buf === undefined) problems.push(`${name} is listed in ${SUMS_FILE} but missing`);
      else if (sha256Hex(buf) !== hex) problems.push(`${name} does not match its SHA-256 in ${SUMS_FILE} (it was changed)`);
    }
    for (const name of files.keys()) {
      if (name === SUMS_FILE || name === SIG_FILE || sums.has(name)) continue;
      problems.push(`${name} is not listed in ${SUMS_FILE} (added after the run)`);
    }
  }
  return { kind, problems };
}
