/**
 * The dependency rules of docs/ARCHITECTURE.md, checked on the import graph of src/ (type-only
 * imports included): checks are the only judge, so reporters never import probes/ or read a probe
 * outcome, and checks never import probes/; and there are no import cycles.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(p);
    return d.name.endsWith('.ts') && !d.name.endsWith('.test.ts') ? [p] : [];
  });
}

/** Relative imports and re-exports of a file (static, dynamic and type-only), as src-relative paths. */
function importsOf(file: string, text: string): string[] {
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)].map((m) => m[1] ?? m[2] ?? '');
  return specs.filter((s) => s.startsWith('.')).map((s) => relative(SRC, resolve(dirname(file), s.replace(/\.js$/, '.ts'))));
}

const files = sourceFiles(SRC);
const graph = new Map<string, string[]>(files.map((f) => [relative(SRC, f), importsOf(f, readFileSync(f, 'utf8'))]));
const texts = new Map<string, string>(files.map((f) => [relative(SRC, f), readFileSync(f, 'utf8')]));

/** Strongly connected components with more than one module (Tarjan). */
function cycles(g: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index);
    index += 1;
    stack.push(v);
    on.add(v);
    for (const w of g.get(v) ?? []) {
      if (!g.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1) out.push(comp.sort());
    }
  };
  for (const v of g.keys()) if (!idx.has(v)) visit(v);
  return out;
}

describe('dependency rules', () => {
  it('reads the whole of src/', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('cli/cli.ts')).toContain('engine/run.ts');
  });

  it('no import cycles (type-only imports included)', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('reporters never import probes/ and never read a probe outcome', () => {
    const bad = [...graph].filter(([f]) => f.startsWith('reporters/')).flatMap(([f, deps]) => deps.filter((d) => d.startsWith('probes/')).map((d) => `${f} → ${d}`));
    expect(bad).toEqual([]);
    const readsOutcomes = [...texts].filter(([f, t]) => f.startsWith('reporters/') && /\bProbeOutcome\b|\bFactTypes\b|outcomes\b/.test(t)).map(([f]) => f);
    expect(readsOutcomes).toEqual([]);
  });

  it('checks never import probes/ (judging helpers live in src/checks/lib)', () => {
    const bad = [...graph].filter(([f]) => f.startsWith('checks/')).flatMap(([f, deps]) => deps.filter((d) => d.startsWith('probes/')).map((d) => `${f} → ${d}`));
    expect(bad).toEqual([]);
  });

  it('no section of checks reaches into another section (shared helpers are in src/checks/lib)', () => {
    const section = (f: string) => f.split('/')[1];
    const bad = [...graph]
      .filter(([f]) => f.startsWith('checks/') && !f.startsWith('checks/lib/') && f !== 'checks/index.ts')
      .flatMap(([f, deps]) => deps.filter((d) => d.startsWith('checks/') && !d.startsWith('checks/lib/') && section(d) !== section(f)).map((d) => `${f} → ${d}`));
    expect(bad).toEqual([]);
  });
});
