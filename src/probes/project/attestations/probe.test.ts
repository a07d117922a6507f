import { describe, expect, it } from 'vitest';
import { fakeContext } from '../../../../test/helpers/fake-context.js';
import { attestationsProbe } from './probe.js';

const ROOT = '/data/order-processing';
const FILE = `${ROOT}/predeploy.attest.yaml`;

describe('project.attestations probe', () => {
  it('no file: no attestations (a value, not a failure)', async () => {
    expect(await attestationsProbe.collect(fakeContext({ root: ROOT }))).toEqual({ ok: true, value: { file: null, items: [] } });
  });

  it('reads and parses the file', async () => {
    const ctx = fakeContext({
      root: ROOT,
      files: { [FILE]: 'attestations:\n  - check: golive.uat\n    by: Jane (ops)\n    date: 2026-11-20\n    evidence: OPS-1\n' },
    });
    expect(await attestationsProbe.collect(ctx)).toEqual({
      ok: true,
      value: { file: 'predeploy.attest.yaml', items: [{ check: 'golive.uat', by: 'Jane (ops)', date: '2026-11-20', evidence: 'OPS-1', line: 2 }] },
    });
  });

  it('a malformed file → failed, with the one-line located message', async () => {
    const ctx = fakeContext({ root: ROOT, files: { [FILE]: 'attestations:\n  - check: golive.uat\n    by: x\n    date: 20-11-2026\n    evidence: y\n' } });
    expect(await attestationsProbe.collect(ctx)).toEqual({
      ok: false,
      reason: 'failed',
      detail: `${FILE}:4:11: attestations[0].date: expected a date written YYYY-MM-DD (e.g. 2026-11-20)`,
    });
  });

  it('unreadable → permission', async () => {
    const ctx = fakeContext({ root: ROOT });
    ctx.readFile = async () => {
      throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
    };
    expect(await attestationsProbe.collect(ctx)).toMatchObject({ ok: false, reason: 'permission' });
  });
});
