import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixtureText } from '../../../../test/probes/fixture-dirs.js';
import { classifyRunbook, documentShape } from './classify.js';

const example = (name: string) => readFileSync(new URL(`../../../../examples/order-processing/docs/${name}`, import.meta.url), 'utf8');
const fixture = (name: string) => fixtureText(`runbooks/${name}`);

describe('classifyRunbook', () => {
  it('the example recovery runbook: Cosmos DB PITR, blob restore, VM restore, vault; steps and commands', () => {
    const r = classifyRunbook(example('recovery-runbook.md'), 'docs/recovery-runbook.md');
    expect(r?.kinds).toEqual(['recovery']);
    expect(r?.signals.recovery?.slice(0, 5)).toEqual(['restore', 'cosmos db point-in-time restore', 'blob restore', 'vm restore', 'backup vault']);
    expect(r?.headings.slice(0, 3)).toEqual(['Recovery runbook — order-processing (production)', '0. Decide and record', '1. Cosmos DB — point-in-time restore (continuous backup)']);
    expect(r?.steps).toBeGreaterThanOrEqual(10);
    expect(r?.commands).toBeGreaterThanOrEqual(10);
  });

  it('the example rollback runbook is a rollback runbook only, although it points at the Cosmos DB restore', () => {
    const r = classifyRunbook(example('rollback-runbook.md'), 'docs/rollback-runbook.md');
    expect(r?.kinds).toEqual(['rollback']);
    expect(r?.signals.rollback?.slice(0, 2)).toEqual(['rollback', 'previous release']);
  });

  it.each([
    ['restore-mentioned-no-steps.md', undefined],
    ['rollback-prose-only.md', undefined],
    ['release-notes.md', undefined],
    ['rollback-minimal.md', ['rollback']],
    ['vm-restore-plain.txt', ['recovery']],
  ])('%s → %j', (name, kinds) => {
    expect(classifyRunbook(fixture(name), `docs/${name}`)?.kinds).toEqual(kinds);
  });

  it('a plain-text recovery note with `$ ` command lines', () => {
    expect(classifyRunbook(fixture('vm-restore-plain.txt'), 'runbooks/vm.txt')).toEqual({
      file: 'runbooks/vm.txt',
      kinds: ['recovery'],
      signals: { recovery: ['restore', 'vm restore', 'backup vault', '2 command lines'] },
      headings: [],
      steps: 0,
      commands: 2,
    });
  });

  it('shape: fenced code counts as commands (comments excepted), # inside fences is not a heading, long headings are cut', () => {
    const s = documentShape(`# ${'x'.repeat(100)}\n\n\`\`\`bash\n# comment\naz cosmosdb restore\n\`\`\`\n1. a\n2) b\n$ ls\n`);
    expect(s).toEqual({ headings: [`${'x'.repeat(79)}…`], steps: 2, commands: 2 });
  });
});
