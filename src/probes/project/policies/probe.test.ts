import { describe, expect, it } from 'vitest';
import { fakeContext } from '../../../../test/helpers/fake-context.js';
import { policiesProbe } from './probe.js';

const ROOT = '/data/order-processing';

describe('project.policies probe', () => {
  it('reads root and docs/ documents and keeps the rotation policies it recognises', async () => {
    const ctx = fakeContext({
      root: ROOT,
      files: {
        [`${ROOT}/README.md`]: '# order processing\n',
        [`${ROOT}/docs/security/rotation.md`]: 'Rotate the bot app secret every 180 days.\n',
        [`${ROOT}/docs/ops.txt`]: 'nothing here\n',
        [`${ROOT}/src/index.ts`]: '// rotate secrets every 1 day\n',
      },
    });
    const r = await policiesProbe.collect(ctx);
    if (!r.ok) throw new Error(r.detail);
    expect(r.value).toEqual({
      scanned: ['README.md', 'docs/ops.txt', 'docs/security/rotation.md'],
      rotation: [{ path: 'docs/security/rotation.md', line: 1, periodDays: 180, periodText: 'every 180 days', secrets: ['bot app secret', 'client secret'] }],
    });
  });

  it('a root that cannot be listed: failed', async () => {
    expect(await policiesProbe.collect(fakeContext({ root: '/nope' }))).toEqual({ ok: false, reason: 'failed', detail: 'project root /nope cannot be listed' });
  });
});
