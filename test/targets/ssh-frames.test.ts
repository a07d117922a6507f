/**
 * The ssh target's wire format (src/targets/ssh-frames.ts), without ssh: the scripts are run by a
 * real local `sh` and its output is cut back into frames, fed in every chunking.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { commandScript, FrameReader, helloScript, parseStatusTrailer, type Frame } from '../../src/targets/ssh-frames.js';

const TOKEN = 'a3f1c2d4e5b60718293a4b5c6d7e8f90';

/** Feeds bytes to a reader in chunks of `size` and returns every frame. */
function frames(bytes: Buffer, size: number, cap = 1 << 20): Frame[] {
  const r = new FrameReader(TOKEN, cap);
  const out: Frame[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(...r.push(bytes.subarray(i, i + size)));
  return out;
}

/** Runs a script with a real sh the way the remote side does (commands on stdin). */
function sh(script: string): { stdout: Buffer; stderr: Buffer } {
  const r = spawnSync('sh', [], { input: script });
  return { stdout: r.stdout, stderr: r.stderr };
}

describe('FrameReader', () => {
  const stream = Buffer.concat([Buffer.from('banner\n'), Buffer.from(`${TOKEN}:0:0\n`), Buffer.from('no newline at the end'), Buffer.from(`${TOKEN}:1:3\n`), Buffer.from([0, 1, 2, 255, 10]), Buffer.from(`${TOKEN}:2:0\n`)]);

  it.each([1, 2, 7, 31, 33, 1000])('cuts the same frames whatever the chunk size (%i bytes)', (size) => {
    const got = frames(stream, size);
    expect(got.map((f) => f.trailer)).toEqual(['0:0', '1:3', '2:0']);
    expect(got[0]!.data.toString()).toBe('banner\n');
    expect(got[1]!.data.toString()).toBe('no newline at the end');
    expect([...got[2]!.data]).toEqual([0, 1, 2, 255, 10]);
  });

  it('output that looks like a frame with another token, or a part of ours, is output', () => {
    const fake = `${'0'.repeat(32)}:1:0\n${TOKEN.slice(0, 31)}:1:0\n`;
    const got = frames(Buffer.from(`${fake}${TOKEN}:1:7\n`), 5);
    expect(got).toHaveLength(1);
    expect(got[0]!.data.toString()).toBe(fake);
    expect(parseStatusTrailer(got[0]!.trailer)).toEqual({ id: 1, status: 7 });
  });

  it('keeps at most the cap of a frame, says it was cut, and still finds the next frame', () => {
    const big = Buffer.alloc(100_000, 'x');
    const got = frames(Buffer.concat([big, Buffer.from(`${TOKEN}:1:0\nsmall${TOKEN}:2:0\n`)]), 4096, 1000);
    expect(got[0]!.data.length).toBe(1000);
    expect(got[0]!.truncated).toBe(true);
    expect(got[1]).toMatchObject({ trailer: '2:0', truncated: false });
    expect(got[1]!.data.toString()).toBe('small');
  });

  it('partial() is what a stream that ended mid-frame said (ssh exiting with its own error)', () => {
    const r = new FrameReader(TOKEN, 1000);
    r.push(Buffer.from('Host key verification failed.\n'));
    expect(r.partial().toString()).toBe('Host key verification failed.\n');
  });
});

describe('the scripts, run by a real sh', () => {
  it('each argv reaches its program exactly, with its exit status and both streams framed', () => {
    const argvs = [
      ['printf', '%s|', 'two words', "it's", '$(id -u)', '`id`', 'a;b', 'line1\nline2', '*', '', '-n'],
      ['sh', '-c', 'echo out; echo err >&2; exit 3'],
      ['printf', 'no newline'],
    ];
    const script = helloScript(TOKEN) + argvs.map((a, i) => commandScript(TOKEN, i + 1, [], a)).join('');
    const { stdout, stderr } = sh(`echo banner\n${script}`);
    const out = frames(stdout, 3);
    const err = frames(stderr, 3);
    expect(out.map((f) => f.trailer)).toEqual(['0:0', '1:0', '2:3', '3:0']);
    expect(err.map((f) => f.trailer)).toEqual(['0', '1', '2', '3']);
    expect(out[1]!.data.toString()).toBe("two words|it's|$(id -u)|`id`|a;b|line1\nline2|*||-n|");
    expect(out[2]!.data.toString()).toBe('out\n');
    expect(err[2]!.data.toString()).toBe('err\n');
    expect(out[3]!.data.toString()).toBe('no newline');
  });

  it('a command cannot read the next commands (stdin is /dev/null)', () => {
    const script = helloScript(TOKEN) + commandScript(TOKEN, 1, [], ['cat']) + commandScript(TOKEN, 2, [], ['echo', 'still here']);
    const out = frames(sh(script).stdout, 64);
    expect(out.map((f) => f.data.toString())).toEqual(['', '', 'still here\n']);
  });

  it('a shell builtin name runs as a program, never as the worker shell builtin (exit, exec, eval)', () => {
    const script = helloScript(TOKEN) + commandScript(TOKEN, 1, [], ['exit', '5']) + commandScript(TOKEN, 2, [], ['eval', 'echo pwned']) + commandScript(TOKEN, 3, [], ['echo', 'alive']);
    const out = frames(sh(script).stdout, 64);
    // env finds no program "exit" / "eval": 127, and the shell goes on
    expect(out.map((f) => f.trailer)).toEqual(['0:0', '1:127', '2:127', '3:0']);
    expect(out[3]!.data.toString()).toBe('alive\n');
  });

  it('extra environment and the remote timeout come before the argv', () => {
    const script = helloScript(TOKEN) + commandScript(TOKEN, 1, ['env', 'X=1 2'], ['sh', '-c', 'printf %s "$X"']) + commandScript(TOKEN, 2, ['timeout', '-k', '1s', '1s'], ['sleep', '5']);
    const out = frames(sh(script).stdout, 64);
    expect(out[1]!.data.toString()).toBe('1 2');
    expect(parseStatusTrailer(out[2]!.trailer)).toEqual({ id: 2, status: 124 });
  });
});
