// Rewrites the check catalog table in README.md from the built registry (run after `npm run build`).
import { readFileSync, writeFileSync } from 'node:fs';
import { CHECKS } from '../dist/checks/index.js';
import { CATALOG_END, CATALOG_START, renderCatalogMarkdown } from '../dist/cli/catalog.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const a = readme.indexOf(CATALOG_START);
const b = readme.indexOf(CATALOG_END);
if (a < 0 || b < a) {
  console.error('README.md has no catalog markers');
  process.exit(2);
}
const next = `${readme.slice(0, a + CATALOG_START.length)}\n${renderCatalogMarkdown(CHECKS)}\n${readme.slice(b)}`;
writeFileSync(new URL('../README.md', import.meta.url), next);
console.log(next === readme ? 'README catalog already current' : 'README catalog updated');
