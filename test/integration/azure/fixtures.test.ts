/** The scenario fixtures are exactly what derive.mjs makes from Azure's examples, and those are verbatim. */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../../servers/fake-arm.js';

describe('Azure fixtures', () => {
  it('scenario folders are up to date with derive.mjs', () => {
    expect(() => execFileSync(process.execPath, [join(FIXTURES, 'derive.mjs'), '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('every example file is listed in SOURCES.md and keeps the published layout', () => {
    const sources = readFileSync(join(FIXTURES, 'SOURCES.md'), 'utf8');
    for (const f of readdirSync(join(FIXTURES, 'examples'))) {
      expect(sources, f).toContain(`\`${f}\``);
      const ex = JSON.parse(readFileSync(join(FIXTURES, 'examples', f), 'utf8')) as { parameters?: unknown; responses?: unknown };
      expect(ex.parameters, f).toBeDefined();
      expect(ex.responses, f).toBeDefined();
    }
  });

  it('predeploy never reads a Key Vault secret value: no getSecret anywhere in src', () => {
    const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [join(dir, e.name)] : []));
    const src = new URL('../../../src/', import.meta.url).pathname;
    const offenders = walk(src).filter((f) => /\.getSecret\s*\(|\bgetSecret\s*\(/.test(readFileSync(f, 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '')));
    expect(offenders).toEqual([]);
  });
});
