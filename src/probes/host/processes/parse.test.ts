import { describe, expect, it } from 'vitest';
import { hostFixture } from '../../../../test/probes/fixture.js';
import { parsePsList } from './parse.js';

describe('parsePsList', () => {
  it('ps/two-of-three-services.txt (captured in a pid namespace of this container)', () => {
    const r = parsePsList(hostFixture('ps/two-of-three-services.txt'));
    expect(r.ok && r.value).toHaveLength(5);
    expect(r.ok && r.value[3]).toEqual({ pid: 5, user: 'nobody', etime: '00:02', args: '/usr/bin/node /tmp/pdps/workflow-worker/dist/worker.js' });
  });

  it('long elapsed times and kernel threads', () => {
    const r = parsePsList('    PID USER         ELAPSED COMMAND\n      2 root     12-01:02:03 [kthreadd]\n   4242 app         01:02:03 node server.js\n');
    expect(r).toEqual({
      ok: true,
      value: [
        { pid: 2, user: 'root', etime: '12-01:02:03', args: '[kthreadd]' },
        { pid: 4242, user: 'app', etime: '01:02:03', args: 'node server.js' },
      ],
    });
  });

  it('another header or an unreadable line fails the parse', () => {
    expect(parsePsList('UID PID PPID C STIME TTY TIME CMD\n')).toMatchObject({ ok: false, detail: 'unexpected ps header: UID PID PPID C STIME TTY TIME CMD' });
    expect(parsePsList('  PID USER ELAPSED COMMAND\nnonsense\n')).toMatchObject({ ok: false, detail: 'unexpected ps line: nonsense' });
  });
});
