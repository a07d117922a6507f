/**
 * Two assessments of one root at once (issue 11, item 3), as two real processes of the built
 * binary: they never share or clobber a run folder, and the same run id twice → exactly one
 * proceeds. The run folder is created with a non-recursive mkdir, which the kernel makes
 * exclusive: of two processes creating one folder exactly one succeeds, whatever the timing.
 */
import { spawn } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRunFolder } from '../../src/cli/run-folder.js';
import { RunFolderExistsError } from '../../src/engine/errors.js';
import { BIN, EXAMPLE, requireBuilt, RUN_FILES, tempDirs } from '../helpers/binary.js';

const FILES = RUN_FILES;
const tmp = tempDirs();

interface Ended {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: Record<string, string>): Promise<Ended> {
  requireBuilt();
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** A `ufw` first on PATH that answers only once `gate` exists: both runs are alive together. */
function gatedUfw(): { path: string; gate: string } {
  const bin = tmp('predeploy-conc-bin-');
  const gate = join(bin, 'go');
  writeFileSync(join(bin, 'ufw'), `#!/bin/sh\nwhile [ ! -e ${gate} ]; do sleep 0.05; done\necho "Status: inactive"\n`);
  chmodSync(join(bin, 'ufw'), 0o755);
  return { path: `${bin}:${process.env.PATH ?? ''}`, gate };
}

describe('two assessments of one root at once', () => {
  it('the same run id twice: exactly one proceeds, the other exits 2 with one line and touches nothing', async () => {
    const out = tmp('predeploy-conc-');
    const ufw = gatedUfw();
    const args = ['assess', '--offline', '--quiet', '--root', EXAMPLE, '--out', out, '--timeout', '120s'];
    const env = { OP_RUN_ID: 'same', PATH: ufw.path };
    const runs = [run(args, env), run(args, env)];
    // the winner waits at the gate (its run folder made) until the loser has ended
    const folder = join(out, 'same');
    const firstToEnd = await Promise.race(runs);
    expect(firstToEnd.code).toBe(2);
    writeFileSync(ufw.gate, '');
    const ends = await Promise.all(runs);
    const codes = ends.map((e) => e.code).sort();
    expect(codes).toEqual([0, 2]);
    const loser = ends.find((e) => e.code === 2);
    expect(loser?.stderr).toBe(`predeploy: run folder ${folder} already exists; choose another --run-id (nothing was changed)\n`);
    expect(loser?.stdout).toBe('');
    expect(readdirSync(folder).sort()).toEqual([...FILES, 'SHA256SUMS'].sort());
    const json = JSON.parse(readFileSync(join(folder, 'report.json'), 'utf8')) as { meta: { incomplete: boolean; runId: string } };
    expect(json.meta).toMatchObject({ incomplete: false, runId: 'same' });
  });

  it('generated run ids: two runs at once get two folders, each complete', async () => {
    const root = tmp('predeploy-conc-root-');
    const out = join(root, 'runs');
    const args = ['assess', '--offline', '--quiet', '--root', EXAMPLE, '--out', out];
    const ends = await Promise.all([run(args, {}), run(args, {})]);
    expect(ends.map((e) => e.code)).toEqual([0, 0]);
    const ids = ends.map((e) => /run id:\s+(\S+)/.exec(e.stdout)?.[1]);
    expect(new Set(ids).size).toBe(2);
    expect(readdirSync(out).sort()).toEqual([...(ids as string[])].sort());
    for (const id of ids) expect(readdirSync(join(out, id ?? '')).sort()).toEqual([...FILES, 'SHA256SUMS'].sort());
  });
});

describe('createRunFolder', () => {
  it('a generated id that is taken is drawn again; a given one is refused', async () => {
    const base = tmp('predeploy-conc-unit-');
    const first = await createRunFolder(base, 'taken');
    expect(first.runId).toBe('taken');
    const drawn = ['taken', 'also-free'];
    const again = await createRunFolder(base, 'taken', () => drawn.shift() ?? 'x');
    expect(again.runId).toBe('also-free');
    await expect(createRunFolder(base, 'taken')).rejects.toBeInstanceOf(RunFolderExistsError);
  });

  it('of many creations of one folder at once, exactly one succeeds', async () => {
    const base = tmp('predeploy-conc-unit-');
    const results = await Promise.allSettled(Array.from({ length: 16 }, () => createRunFolder(base, 'one')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(RunFolderExistsError);
  });
});
