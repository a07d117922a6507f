/**
 * The configuration reference, generated from the zod schemas so it cannot drift from them:
 * the JSON Schemas shipped in `schema/` (editors complete and validate `predeploy.yaml` with
 * them) and `docs/configuration.md`. `npm run docs:config` writes the files; a test fails when
 * the committed ones are stale, and when a key has no description.
 */
import { z } from 'zod';
import { attestationFileSchema } from './attestations.js';
import { ORDER_PROCESSING_PROFILE } from './profile.js';
import { configSchema } from './schema.js';

/** A JSON Schema node, as far as this module reads it. */
export interface JsonSchemaNode {
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchemaNode>;
  required?: string[];
  additionalProperties?: boolean | JsonSchemaNode;
  propertyNames?: JsonSchemaNode;
  items?: JsonSchemaNode;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchemaNode[];
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minItems?: number;
  minLength?: number;
  [k: string]: unknown;
}

/** Where the generated files go, relative to the package root. */
export const REFERENCE_FILES = {
  configSchema: 'schema/predeploy.schema.json',
  attestationSchema: 'schema/predeploy.attest.schema.json',
  docs: 'docs/configuration.md',
  example: 'examples/predeploy.production.yaml',
} as const;

// Formats every draft-07 validator knows; zod's own (`starts_with`, ...) are dropped, their
// `pattern` stays.
const STANDARD_FORMATS = new Set(['uri', 'email', 'date', 'date-time', 'uuid', 'ipv4', 'ipv6', 'hostname']);

/**
 * A draft-07 JSON Schema of a file the user writes. `mergedOverProfile`: the file is merged over
 * the built-in profile, so no mapping key is required — except inside list items, which replace
 * the profile's list whole (a waiver needs all its fields).
 */
function fileJsonSchema(schema: z.ZodType, o: { title: string; description: string; mergedOverProfile: boolean }): JsonSchemaNode {
  const raw = z.toJSONSchema(schema, { target: 'draft-7', io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;
  const tidy = (node: JsonSchemaNode, inFileMapping: boolean): JsonSchemaNode => {
    const out: JsonSchemaNode = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === 'required' && inFileMapping) continue;
      if (k === 'format' && typeof v === 'string' && !STANDARD_FORMATS.has(v)) continue;
      if (k === 'properties' && v !== null && typeof v === 'object') {
        out.properties = Object.fromEntries(Object.entries(v as Record<string, JsonSchemaNode>).map(([p, s]) => [p, tidy(s, inFileMapping)]));
      } else if ((k === 'items' || k === 'additionalProperties' || k === 'propertyNames') && v !== null && typeof v === 'object') {
        out[k] = tidy(v as JsonSchemaNode, false);
      } else if (k === 'anyOf' && Array.isArray(v)) {
        out.anyOf = (v as JsonSchemaNode[]).map((s) => tidy(s, inFileMapping));
      } else out[k] = v;
    }
    return out;
  };
  const body = tidy(raw, o.mergedOverProfile);
  const { $schema, ...rest } = body;
  return { $schema, title: o.title, description: o.description, ...rest };
}

/** The JSON Schema of `predeploy.yaml` (schema/predeploy.schema.json). */
export function configJsonSchema(): JsonSchemaNode {
  return fileJsonSchema(configSchema, {
    title: 'predeploy.yaml',
    description: 'predeploy configuration, merged over the built-in profile (docs/configuration.md). Every key is optional here; TBD means "not decided".',
    mergedOverProfile: true,
  });
}

/** The JSON Schema of `predeploy.attest.yaml` (schema/predeploy.attest.schema.json). */
export function attestationJsonSchema(): JsonSchemaNode {
  return fileJsonSchema(attestationFileSchema, {
    title: 'predeploy.attest.yaml',
    description: 'human sign-offs for the go-live checks predeploy cannot verify by itself (docs/configuration.md)',
    mergedOverProfile: false,
  });
}

/** One row of the reference: a key path and what it takes. */
export interface ReferenceRow {
  /** `azure.prod.keyVault`, `waivers[].check` */
  key: string;
  type: string;
  /** the built-in profile's value, when it sets one */
  profile?: unknown;
  description: string;
  /** required in each list item (inside `waivers`, `attestations`) */
  requiredInItem: boolean;
}

/** Every key of a JSON Schema, depth first, in schema order. */
export function referenceRows(schema: JsonSchemaNode, profile?: unknown): ReferenceRow[] {
  const rows: ReferenceRow[] = [];
  const walk = (node: JsonSchemaNode, path: string, value: unknown, requiredInItem: boolean): void => {
    if (path !== '') {
      rows.push({
        key: path,
        type: typeOf(node),
        ...(value !== undefined && !isMappingSchema(node) ? { profile: value } : {}),
        description: node.description ?? '',
        requiredInItem,
      });
    }
    if (node.properties) {
      const required = new Set(node.required ?? []);
      for (const [k, child] of Object.entries(node.properties)) {
        walk(child, path === '' ? k : `${path}.${k}`, isRecord(value) ? value[k] : undefined, required.has(k));
      }
    } else {
      // a list of mappings, also when it may be empty (`attestations:` alone is `null`)
      const item = node.items ?? node.anyOf?.find((b) => b.items?.properties)?.items;
      if (item?.properties) {
        const required = new Set(item.required ?? []);
        for (const [k, child] of Object.entries(item.properties)) walk(child, `${path}[].${k}`, undefined, required.has(k));
      }
    }
  };
  walk(schema, '', profile, false);
  return rows;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isMappingSchema(node: JsonSchemaNode): boolean {
  return node.properties !== undefined || node.items?.properties !== undefined || (node.anyOf ?? []).some((b) => b.items?.properties !== undefined);
}

/** A short type for humans: `string`, `integer 1–65535`, `"a" \| "b"`, `list of string`. */
export function typeOf(node: JsonSchemaNode): string {
  if (node.enum) return node.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  if (node.const !== undefined) return `\`${String(node.const)}\``;
  // `null` is how an empty YAML key reads; it is not a type worth naming
  if (node.anyOf) return node.anyOf.filter((b) => b.type !== 'null').map(typeOf).join(' or ');
  if (node.properties) return 'mapping';
  const t = Array.isArray(node.type) ? node.type.join(' or ') : node.type;
  switch (t) {
    case 'string':
      if (node.format === 'uri') return 'URL';
      if (node.pattern !== undefined && node.pattern.startsWith('^\\/')) return 'path starting with /';
      return 'string';
    case 'integer':
    case 'number': {
      const step = t === 'integer' ? 1 : 0;
      const lo = node.minimum ?? (node.exclusiveMinimum !== undefined ? node.exclusiveMinimum + step : undefined);
      // zod writes the safe-integer bounds of `.int()`; they say nothing to a reader
      const hi = node.maximum !== undefined && node.maximum < Number.MAX_SAFE_INTEGER ? node.maximum : undefined;
      const range = lo !== undefined && hi !== undefined ? ` ${lo}–${hi}` : lo !== undefined ? ` ≥ ${lo}` : hi !== undefined ? ` ≤ ${hi}` : '';
      return `${t === 'integer' ? 'whole number' : 'number'}${range}`;
    }
    case 'boolean':
      return 'true / false';
    case 'array':
      return node.items?.properties ? 'list of mappings' : `list of ${node.items ? typeOf(node.items) : 'values'}${node.minItems ? ` (at least ${node.minItems})` : ''}`;
    case 'object':
      if (node.additionalProperties && typeof node.additionalProperties === 'object') {
        return `mapping of ${node.propertyNames?.pattern !== undefined ? 'check id' : 'string'} → ${typeOf(node.additionalProperties)}`;
      }
      return 'mapping';
    default:
      return t ?? 'any';
  }
}

/** A profile value in a table cell. */
function cell(v: unknown): string {
  if (v === undefined) return '—';
  const text = typeof v === 'string' ? v : JSON.stringify(v).replace(/"([^"]+)":/g, '$1: ').replace(/,/g, ', ');
  return `\`${text.replace(/\|/g, '\\|')}\``;
}

function table(rows: readonly ReferenceRow[], withProfile: boolean): string[] {
  const head = withProfile ? ['| key | type | built-in profile | meaning |', '|---|---|---|---|'] : ['| key | type | required | meaning |', '|---|---|---|---|'];
  return [
    ...head,
    ...rows.map((r) => {
      const third = withProfile ? cell(r.profile) : r.requiredInItem ? 'yes' : 'no';
      return `| \`${r.key}\` | ${r.type} | ${third} | ${r.description.replace(/\|/g, '\\|')} |`;
    }),
  ];
}

/** The marker at the top of the generated page. */
export const GENERATED_NOTE = '<!-- generated from src/config/schema.ts by `npm run docs:config`; do not edit (a test fails when it is stale) -->';

/**
 * `docs/configuration.md`. `example` is the complete production example file
 * (examples/predeploy.production.yaml), shown in full at the end.
 */
export function renderConfigReference(o: { example: string }): string {
  const schema = configJsonSchema();
  const rows = referenceRows(schema, ORDER_PROCESSING_PROFILE);
  const top = Object.entries(schema.properties ?? {});
  const L: string[] = [
    '# Configuration reference',
    '',
    GENERATED_NOTE,
    '',
    '`predeploy` needs no configuration to start: the built-in `order-processing` profile holds the',
    "service's dev/prod table, with the production names not decided yet written `TBD` (a gap in the",
    'report, never a pass). A `predeploy.yaml` says what differs:',
    '',
    '- **Where**: `<root>/predeploy.yaml`, or the file given with `--config FILE`. Without either, the built-in profile alone.',
    '- **Merging**: the file is merged over the profile key by key; a list (`services`, `waivers`, …) replaces the profile\'s list whole. So every key below is optional in the file, and only the keys of a list item (a waiver) are all required.',
    '- **`TBD`** is a legal value wherever a name or a decision is expected: "not decided". One check owns each decision (`infra.prod-resources` for resources, `infra.dns` for the domain).',
    '- **Secrets** never go in this file: credentials are named — an environment variable (`env:`) or a Key Vault secret (`keyVaultSecret:`) — and their values are read from the environment or the project\'s `.env` files for one run only, never from Key Vault.',
    '- **Mistakes**: every problem of the file is reported at once, one `file:line:col: …` line each, with the nearest valid key for a misspelt one (at any depth) and the nearest check id for an unknown one; exit code 2, nothing runs. The same holds for `predeploy.attest.yaml`.',
    '- **What is in effect**: `predeploy config [--root DIR] [--config FILE] [--json] [--no-discovery]` prints every value `assess` would use and where it came from (built-in profile, `predeploy.yaml:line:col`, environment, or `discovered: nginx server_name at /etc/nginx/sites-enabled/x:12`), and where discovery disagrees with the file (the file wins); credentials appear as names only.',
    '',
    '## Editor completion and validation',
    '',
    'The package ships JSON Schemas generated from the same schema: `schema/predeploy.schema.json` and',
    '`schema/predeploy.attest.schema.json`. With the YAML language server (VS Code\'s YAML extension,',
    'Neovim, JetBrains, …) put this first line in the file, with the path to the installed package:',
    '',
    '```yaml',
    '# yaml-language-server: $schema=./node_modules/predeploy/schema/predeploy.schema.json',
    '```',
    '',
    'The examples in this repository use a relative path (`../schema/predeploy.schema.json`).',
    '',
    '## Top level',
    '',
    '| key | what |',
    '|---|---|',
    ...top.map(([k, s]) => `| [\`${k}\`](#${k.toLowerCase()}) | ${(s.description ?? '').replace(/\|/g, '\\|')} |`),
    '',
  ];
  for (const [k, s] of top) {
    L.push(`## ${k}`, '', s.description ?? '', '');
    // the section's own mapping row would repeat the heading
    const own = rows.filter((r) => (r.key === k && r.type !== 'mapping') || r.key.startsWith(`${k}.`) || r.key.startsWith(`${k}[]`));
    const inItems = own.some((r) => r.key.includes('[]'));
    L.push(...table(own, true), '');
    if (inItems) L.push(`Inside each \`${k}\` item every key is required.`, '');
  }
  const attest = attestationJsonSchema();
  L.push(
    '## predeploy.attest.yaml',
    '',
    'Human sign-offs for what no probe can see (UAT, a rehearsed rollback, support contacts, the',
    'go-live window, dev tests), in the project root next to `predeploy.yaml`. An attestation',
    'counts only for a check that takes one; after its `expires` day the check is `manual` again.',
    'A malformed file, or an attestation naming no check, is exit 2 before anything runs.',
    '',
    ...table(referenceRows(attest), false),
    '',
    '## Environment',
    '',
    '| variable | effect |',
    '|---|---|',
    '| `OP_ROOT` | the project root when `--root` is not given (default `/data/order-processing`) |',
    '| `OP_RUN_ID` | the run id when `--run-id` is not given |',
    '| `AZURE_SUBSCRIPTION_ID` | the subscription when `azure.subscriptionId` is not set (else the Azure CLI default) |',
    '| `AZURE_CLIENT_ID`, `AZURE_TENANT_ID`, `AZURE_CLIENT_SECRET` | a service principal, for `azure.credential: auto` or `environment` |',
    '| the names in `*.env:` | credential values (Zoho, bot) for this run only; also read from the `.env` files in `env.files` |',
    '',
    '## A complete production example',
    '',
    `\`${REFERENCE_FILES.example}\` — every section filled as a production deployment would fill it:`,
    '',
    '```yaml',
    o.example.trimEnd(),
    '```',
    '',
  );
  return L.join('\n');
}
