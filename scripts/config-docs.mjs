// Regenerates docs/configuration.md and the JSON Schemas in schema/ from the zod schemas
// (src/config/reference.ts; run after `npm run build`). A test fails when the committed files are stale.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { attestationJsonSchema, configJsonSchema, REFERENCE_FILES, renderConfigReference } from '../dist/config/reference.js';

const at = (rel) => new URL(`../${rel}`, import.meta.url);
const example = readFileSync(at(REFERENCE_FILES.example), 'utf8');
const outputs = [
  [REFERENCE_FILES.configSchema, `${JSON.stringify(configJsonSchema(), null, 2)}\n`],
  [REFERENCE_FILES.attestationSchema, `${JSON.stringify(attestationJsonSchema(), null, 2)}\n`],
  [REFERENCE_FILES.docs, renderConfigReference({ example })],
];
for (const [rel, text] of outputs) {
  let before = null;
  try {
    before = readFileSync(at(rel), 'utf8');
  } catch {
    // a new file
  }
  mkdirSync(dirname(at(rel).pathname), { recursive: true });
  writeFileSync(at(rel), text);
  console.log(`${rel}: ${before === text ? 'already current' : 'written'}`);
}
