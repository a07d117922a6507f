/**
 * Finding and reading the configuration. Parsing and validation (YAML with positions, zod) live
 * in ./loader.ts and are loaded only when there is a file to parse: a run on the built-in
 * profile never pays for them at start-up.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../engine/errors.js';
import { ORDER_PROCESSING_PROFILE } from './profile.js';
import type { ProvenanceMap } from './provenance.js';
import type { Config } from './schema.js';

/** The file looked for in the project root when no `--config` is given. */
export const CONFIG_FILE_NAME = 'predeploy.yaml';

/** A loaded configuration and where it came from (null: the built-in profile alone). */
export interface LoadedConfig {
  config: Config;
  source: string | null;
  /** where the file sets each value it sets (display path → file:line:col); the rest is the profile */
  provenance: ProvenanceMap;
}

/**
 * Load the configuration. With `configPath` that file must exist; otherwise
 * `<root>/predeploy.yaml` is used when present, else the built-in profile.
 * @throws ConfigError (`file:line:col: ...`, one line per problem of the file)
 */
export async function loadConfig(o: {
  root: string;
  configPath?: string;
  checkIds?: readonly string[];
  /** the root is on an ssh host: its predeploy.yaml as text and where it came from, or null when it has none */
  remoteConfig?: () => Promise<{ text: string; source: string } | null>;
}): Promise<LoadedConfig> {
  const explicit = o.configPath !== undefined;
  let file = o.configPath ?? join(o.root, CONFIG_FILE_NAME);
  let text: string;
  try {
    if (o.remoteConfig && !explicit) {
      const r = await o.remoteConfig();
      if (r === null) return { config: structuredClone(ORDER_PROCESSING_PROFILE), source: null, provenance: new Map() };
      file = r.source;
      text = r.text;
    } else text = await readFile(file, 'utf8');
  } catch (err) {
    const code = err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      if (explicit) throw new ConfigError(`${file}: not found`);
      // a copy, so callers never share (or mutate) the built-in profile object
      return { config: structuredClone(ORDER_PROCESSING_PROFILE), source: null, provenance: new Map() };
    }
    throw new ConfigError(`${file}: cannot read (${code ?? 'error'}); check the path and its permissions`);
  }
  const { parseConfigFile } = await import('./loader.js');
  const { config, provenance } = parseConfigFile(text, file, o.checkIds ? { checkIds: o.checkIds } : {});
  return { config, source: file, provenance };
}
