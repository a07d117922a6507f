/**
 * The project stands alone: its documents point only inside the repository (no docs/ARCHITECTURE.md or
 * ../shared outside it), every relative link resolves, and the README leads to the architecture.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const DOCS = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`), 'examples/order-processing/README.md'];

describe.each(DOCS)('%s', (doc) => {
  const text = readFileSync(join(ROOT, doc), 'utf8');

  it('names nothing outside the repository', () => {
    expect(text).not.toMatch(/DESIGN\.md|\.\.\/shared|\/work\/|STYLE\.md/);
  });

  it('every relative link resolves to a file in the repository', () => {
    const links = [...text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/.test(l));
    for (const link of links) {
      const target = join(ROOT, dirname(doc), link);
      expect(relative(ROOT, target).startsWith('..'), `${link} leaves the repository`).toBe(false);
      expect(existsSync(target), `${doc}: ${link} does not exist`).toBe(true);
    }
  });
});

it('the README points to the architecture document and the configuration reference', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  expect(readme).toContain('](docs/ARCHITECTURE.md)');
  expect(readme).toContain('](docs/configuration.md)');
  const arch = readFileSync(join(ROOT, 'docs/ARCHITECTURE.md'), 'utf8');
  for (const heading of ['## Pipeline', '## Layout', '## Layers', '## Contracts', '## Invariants', '## Scoring', '## Configuration']) expect(arch).toContain(heading);
});
