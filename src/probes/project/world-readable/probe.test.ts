import { describe, expect, it } from 'vitest';
import { fakeContext } from '../../../../test/helpers/fake-context.js';
import { worldReadableProbe } from './probe.js';

const ROOT = '/data/order-processing';
const PW = 'hunter2hunter2';

describe('project.world-readable probe', () => {
  it('finds secret-shaped lines in files others can read; names and lines only, values to the redactor', async () => {
    const ctx = fakeContext({
      root: ROOT,
      files: {
        [`${ROOT}/config/app.json`]: { content: `{\n  "password": "${PW}"\n}`, mode: 0o100644, uid: 1001 },
        [`${ROOT}/config/private.json`]: { content: `{"password": "${PW}"}`, mode: 0o100600 },
        [`${ROOT}/README.md`]: { content: '# hello\n', mode: 0o100644 },
        [`${ROOT}/node_modules/x/secret.env`]: { content: `PASSWORD=${PW}`, mode: 0o100644 },
        [`${ROOT}/_codex_predeploy/run/report.json`]: { content: `{"password": "${PW}"}`, mode: 0o100644 },
        [`${ROOT}/logo.png`]: { content: `password=${PW}`, mode: 0o100644 },
      },
    });
    const r = await worldReadableProbe.collect(ctx);
    if (!r.ok) throw new Error(r.detail);
    expect(r.value).toEqual({
      rootOpenToOthers: true,
      findings: [{ path: 'config/app.json', line: 2, kind: 'assignment', key: 'password', mode: 0o100644, uid: 1001 }],
      worldReadableFiles: 3,
      scannedFiles: 2,
      tooLarge: [],
      budgetHit: false,
      maxDepth: 4,
    });
    expect(ctx.secrets).toEqual([PW]);
    expect(JSON.stringify(r.value)).not.toContain(PW);
  });

  it('a root that is not a directory: failed', async () => {
    const r = await worldReadableProbe.collect(fakeContext({ root: '/nope' }));
    expect(r).toEqual({ ok: false, reason: 'failed', detail: 'project root /nope is not a directory' });
  });
});
