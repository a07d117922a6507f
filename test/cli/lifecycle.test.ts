/**
 * Every way a run can end, with the built binary as a real child process (issue 11, item 1):
 * a closed stdout or stderr (`| head -1`, `2>&1 | head -1`), SIGINT at 100 ms, SIGTERM and
 * SIGHUP mid-run, an uncaught error, and SIGKILL at 1.5 s. A fake `ufw` first on PATH that
 * never answers keeps the run going for as long as a test needs; no test asserts on timing: a
 * test waits for the state it needs (the slow command started, an entry in the streamed log),
 * never for a duration alone. Needs `npm run build` first (npm test does it).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, EXAMPLE, requireBuilt, RUN_FILES, tempDirs } from '../helpers/binary.js';

const FILES = RUN_FILES;
const LOG = '13_PRODUCTION_DEPLOY_COMMANDS.log';

const tmp = tempDirs('predeploy-life-');
const hung: number[] = [];
// registered after tempDirs' hook, so it runs first: the processes go before their folders
afterEach(() => {
  for (const pid of hung.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

const built = requireBuilt;

/** A PATH folder whose `ufw` writes its pid to `started` and never answers. */
function slowUfw(): { path: string; started: string } {
  const bin = tmp('predeploy-life-bin-');
  const started = join(bin, 'started');
  writeFileSync(join(bin, 'ufw'), `#!/bin/sh\necho $$ > ${started}\nexec sleep 120\n`);
  chmodSync(join(bin, 'ufw'), 0o755);
  return { path: `${bin}:${process.env.PATH ?? ''}`, started };
}

async function until(what: string, ok: () => boolean, child?: ChildProcess): Promise<void> {
  // bounded by the test timeout, not by a guess at how fast this machine is
  while (!ok()) {
    if (child !== undefined && child.exitCode !== null) throw new Error(`the run ended (exit ${child.exitCode}) before ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));

/**
 * predeploy's own signal handlers are installed: the process catches SIGHUP (signal 1, bit 0
 * of SigCgt in /proc/<pid>/status). Node catches SIGINT and SIGTERM itself from its first
 * milliseconds (to restore the terminal, then die by the signal), but not SIGHUP: that bit
 * appears when main.ts installs its handlers, the first thing it does.
 */
function handlersInstalled(pid: number): boolean {
  try {
    const m = /^SigCgt:\s*([0-9a-f]+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m?.[1] !== undefined && (BigInt(`0x${m[1]}`) & 1n) !== 0n;
  } catch {
    return false;
  }
}

/** The folder after the run: the four files, no temp files, no scratch folder. */
function expectFourFiles(dir: string): void {
  expect(readdirSync(dir).sort()).toEqual([...FILES, 'SHA256SUMS'].sort());
}

/** The four files, marked incomplete, saying why. */
function expectIncomplete(dir: string, why: RegExp, o: { exact?: boolean } = {}): void {
  if (o.exact !== false) expectFourFiles(dir);
  const md = readFileSync(join(dir, '13_PRODUCTION_DEPLOY_REPORT.md'), 'utf8');
  expect(md).toContain('**INCOMPLETE**');
  expect(md).toMatch(why);
  expect(readFileSync(join(dir, 'PRODUCTION_READINESS_CHECKLIST.md'), 'utf8')).toContain('INCOMPLETE');
  expect((JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { meta: { incomplete: boolean } }).meta.incomplete).toBe(true);
}

function assess(out: string, runId: string, extra: { path?: string; env?: Record<string, string> } = {}) {
  return spawn(process.execPath, [BIN, 'assess', '--offline', '--root', EXAMPLE, '--out', out, '--timeout', '120s'], {
    env: { ...process.env, OP_RUN_ID: runId, ...(extra.path !== undefined ? { PATH: extra.path } : {}), ...extra.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('output to a closed pipe is dropped; the run completes and writes its files', () => {
  it.each([
    ['assess | head -1', ''],
    ['assess 2>&1 | head -1', '2>&1'],
  ])('%s: the normal exit code, the four files, no scratch folder', (_name, redirect) => {
    built();
    const out = tmp();
    const r = spawnSync(
      'bash',
      ['-c', `"$NODE" "$BIN" assess --offline --root "$ROOT" --out "$OUT" ${redirect} | head -1; echo "exit=\${PIPESTATUS[0]}" >&2`],
      { encoding: 'utf8', env: { ...process.env, NODE: process.execPath, BIN, ROOT: EXAMPLE, OUT: out, OP_RUN_ID: 'piped' } },
    );
    expect(r.stderr).toMatch(/exit=0\n$/);
    expect(r.stderr).not.toMatch(/internal error|EPIPE|\bat .*\.js:\d+/);
    expect(r.stdout.split('\n')).toHaveLength(2); // one line, then the end
    const dir = join(out, 'piped');
    expectFourFiles(dir);
    expect((JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { meta: { incomplete: boolean } }).meta.incomplete).toBe(false);
    expect(readFileSync(join(dir, LOG), 'utf8')).toMatch(/^# started .* · finished /m);
  });

  it('stdout and stderr closed before the first byte (every write fails with EPIPE): exit 0, complete files', async () => {
    built();
    const out = tmp();
    const child = assess(out, 'closed');
    // close our ends at once: the run's every write to stdout and stderr meets a closed pipe
    child.stdout?.destroy();
    child.stderr?.destroy();
    expect(await exited(child)).toEqual({ code: 0, signal: null });
    expectFourFiles(join(out, 'closed'));
  });
});

describe('signals: the files are written, marked incomplete, and the exit code is 3', () => {
  it('SIGINT at 100 ms (during start-up): exit 3, and either nothing written or the four files marked incomplete', async () => {
    built();
    const out = tmp();
    const ufw = slowUfw();
    const child = assess(out, 'early', { path: ufw.path });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const t0 = performance.now();
    // 100 ms, or later if node has not started our code yet (before that, no program of ours
    // can catch a signal: node dies by it); the handlers are in before the CLI's modules load.
    await until('the handlers are installed', () => performance.now() - t0 >= 100 && handlersInstalled(child.pid ?? 0), child);
    child.kill('SIGINT');
    const end = await exited(child);
    if (existsSync(ufw.started)) hung.push(Number(readFileSync(ufw.started, 'utf8')));
    expect(end).toEqual({ code: 3, signal: null });
    expect(stderr).not.toMatch(/\bat .*\.js:\d+|internal error/);
    const dir = join(out, 'early');
    if (existsSync(dir)) expectIncomplete(dir, /interrupted \(SIGINT\)/);
    else expect(stderr).toMatch(/SIGINT received before the run started; nothing was written/);
    console.log(`SIGINT at 100 ms: ${existsSync(dir) ? 'the run folder existed: four files, marked incomplete' : 'before the run folder existed: nothing written'}`);
  });

  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('%s mid-run: exit 3, four files marked incomplete, no command left running', async (signal) => {
    built();
    const out = tmp();
    const ufw = slowUfw();
    const child = assess(out, 'mid', { path: ufw.path });
    await until('the slow ufw started', () => existsSync(ufw.started) && readFileSync(ufw.started, 'utf8').endsWith('\n'), child);
    const pid = Number(readFileSync(ufw.started, 'utf8'));
    hung.push(pid);
    child.kill(signal);
    expect(await exited(child)).toEqual({ code: 3, signal: null });
    const dir = join(out, 'mid');
    expectIncomplete(dir, new RegExp(`interrupted \\(${signal}\\)`));
    expect(readFileSync(join(dir, LOG), 'utf8')).toMatch(/ufw status verbose → interrupted/);
    // the command's process group was killed
    await until('the slow ufw is gone', () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    });
  });
});

describe('an uncaught error mid-run', () => {
  it('writes the four files marked incomplete (internal error), exits 70 with one line', async () => {
    built();
    const out = tmp();
    const ufw = slowUfw();
    // Preloaded into the binary: once the slow ufw has started, throw from a timer — an error
    // nothing in the run catches.
    const preload = join(tmp('predeploy-life-preload-'), 'boom.mjs');
    writeFileSync(
      preload,
      `import { existsSync } from 'node:fs';\nconst t = setInterval(() => { if (existsSync(${JSON.stringify(ufw.started)})) { clearInterval(t); setTimeout(() => { throw new Error('boom from a timer'); }, 50); } }, 20);\nt.unref();\n`,
    );
    const child = assess(out, 'boom', { path: ufw.path, env: { NODE_OPTIONS: `--import ${preload}` } });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const end = await exited(child);
    if (existsSync(ufw.started)) hung.push(Number(readFileSync(ufw.started, 'utf8')));
    expect(end).toEqual({ code: 70, signal: null });
    expect(stderr).toMatch(/^predeploy: internal error: boom from a timer/m);
    expect(stderr).not.toMatch(/\bat .*\.m?js:\d+/);
    expectIncomplete(join(out, 'boom'), /internal error: boom from a timer/);
  });
});

describe('SIGKILL at 1.5 s: the commands log holds every entry completed so far', () => {
  it('leaves the streamed log (entries so far) and the report written at the start, which says the run did not finish', async () => {
    built();
    const out = tmp();
    const ufw = slowUfw();
    const child = assess(out, 'killed', { path: ufw.path });
    const dir = join(out, 'killed');
    const log = join(dir, LOG);
    const entryLines = () => (existsSync(log) ? readFileSync(log, 'utf8').match(/^#\d+ .*$/gm) ?? [] : []);
    const t0 = performance.now();
    // 1.5 s, and the run is still going (the slow ufw keeps it) with some entries on disk
    await until('1.5 s, the slow ufw and an entry in the log', () => performance.now() - t0 >= 1500 && existsSync(ufw.started) && entryLines().length > 0, child);
    hung.push(Number(readFileSync(ufw.started, 'utf8')));
    const before = entryLines();
    child.kill('SIGKILL');
    expect(await exited(child)).toEqual({ code: null, signal: 'SIGKILL' });

    const text = readFileSync(log, 'utf8');
    // the streaming head: this file is the log of a run that did not finish
    expect(text).toMatch(/^# started .* · INCOMPLETE: written entry by entry as the run goes/m);
    const after = text.match(/^#\d+ .*$/gm) ?? [];
    // every entry that was on disk before the kill is still there, whole
    for (const line of before) expect(after).toContain(line);
    for (const line of after) expect(line).toMatch(/^#\d+ \S+ local (exec|read|http|refused) .* → \S+ \(\d+ ms\)( probe=\S+)?$/);
    // each entry once; the hanging command never finished, so it is not among them
    const seqs = after.map((l) => Number(/^#(\d+)/.exec(l)?.[1]));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(text).not.toMatch(/ufw status verbose/);
    // the report files are the ones written at the start: they say the run did not finish
    for (const f of FILES) expect(readdirSync(dir)).toContain(f);
    expectIncomplete(dir, /the run has not finished: it is still running, or it was killed/, { exact: false });
    // no temp file; the scratch folder of tools (certbot) is the one thing a kill -9 can leave
    expect(readdirSync(dir).filter((f) => !FILES.includes(f) && f !== '.scratch')).toEqual([]);
    console.log(`SIGKILL at ${((performance.now() - t0) / 1000).toFixed(1)} s: ${after.length} log entries on disk; folder: ${readdirSync(dir).sort().join(', ')}`);
  });
});
