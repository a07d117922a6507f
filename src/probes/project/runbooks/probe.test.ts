import { describe, expect, it } from 'vitest';
import { fakeContext, type FakeContextOptions } from '../../../../test/helpers/fake-context.js';
import { fixtureText } from '../../../../test/probes/fixture-dirs.js';
import { withFakeFs } from '../../../../test/probes/fake-fs.js';
import { runbooksProbe } from './probe.js';

const ROOT = '/data/order-processing';
const f = (name: string) => fixtureText(`runbooks/${name}`);
const ctxWith = (files: FakeContextOptions['files']) => fakeContext({ root: ROOT, files });

describe('project.runbooks probe', () => {
  it('walks docs/ (nested), runbooks/ and root *.md; returns runbooks and the other documents, never content', async () => {
    const ctx = ctxWith({
      [`${ROOT}/README.md`]: '# Order processing\n',
      [`${ROOT}/predeploy.attest.yaml`]: 'attestations: []\n',
      [`${ROOT}/docs/ops/rollback.md`]: f('rollback-minimal.md'),
      [`${ROOT}/docs/notes.md`]: f('restore-mentioned-no-steps.md'),
      [`${ROOT}/docs/diagram.png`]: 'PNG',
      [`${ROOT}/docs/_codex_predeploy/run/13_PRODUCTION_DEPLOY_REPORT.md`]: '# restore rollback',
      [`${ROOT}/runbooks/vm.txt`]: f('vm-restore-plain.txt'),
    });
    const r = await runbooksProbe.collect(ctx);
    if (!r.ok) throw new Error(r.detail);
    expect(r.value.runbooks.map((b) => [b.file, b.kinds])).toEqual([
      ['docs/ops/rollback.md', ['rollback']],
      ['runbooks/vm.txt', ['recovery']],
    ]);
    expect(r.value.otherDocuments).toEqual(['docs/notes.md', 'README.md']);
    expect(r.value.searched).toEqual(['docs/ (2 documents)', 'runbooks/ (1 documents)', '*.md (1 documents)']);
    expect(r.value.unreadable).toEqual([]);
    expect(JSON.stringify(r.value)).not.toContain('systemctl stop');
  });

  it('no docs at all: an empty value that says where it looked', async () => {
    const r = await runbooksProbe.collect(ctxWith({ [`${ROOT}/predeploy.attest.yaml`]: 'x' }));
    expect(r).toEqual({ ok: true, value: { runbooks: [], otherDocuments: [], searched: ['docs/ (not present)', 'runbooks/ (not present)', '*.md (0 documents)'], unreadable: [] } });
  });

  it('an unreadable document or folder is listed', async () => {
    const ctx = withFakeFs(ctxWith({ [`${ROOT}/docs/secret.md`]: 'x', [`${ROOT}/runbooks/a.md`]: 'x' }), { denied: [`${ROOT}/docs/secret.md`, `${ROOT}/runbooks`] });
    const r = await runbooksProbe.collect(ctx);
    expect(r.ok && r.value.unreadable).toEqual(['runbooks/: permission denied', 'docs/secret.md: permission denied']);
  });

  it('a document it cannot even stat (a folder without search permission) is listed, not skipped', async () => {
    const ctx = fakeContext({ root: ROOT, files: { [`${ROOT}/docs/ops/dr.md`]: 'x', [`${ROOT}/docs/index.md`]: 'x' }, denied: [`${ROOT}/docs/ops`] });
    const listing: Record<string, string[]> = { [ROOT]: ['docs'], [`${ROOT}/docs`]: ['index.md', 'ops'], [`${ROOT}/docs/ops`]: ['dr.md'] };
    ctx.readDir = async (path) => listing[path] ?? null;
    const r = await runbooksProbe.collect(ctx);
    expect(r.ok && r.value.unreadable).toEqual(['docs/ops/dr.md: permission denied']);
  });

  it('a missing project root is a failure with the fix', async () => {
    expect(await runbooksProbe.collect(ctxWith({}))).toEqual({
      ok: false,
      reason: 'failed',
      detail: 'the project root /data/order-processing does not exist (set --root or OP_ROOT)',
    });
  });
});
