/** What discovery hands to `assess`, `init` and `predeploy config`. */
import type { Provenance } from '../config/provenance.js';

/** A value found on the machine, for one dotted config path (`domain.prod`, `azure.prod.keyVault`). */
export interface DiscoveredValue {
  path: string;
  value: string | string[];
  provenance: Extract<Provenance, { kind: 'discovered' }>;
}

/** Discovery found something else than the configuration says; the configuration wins. */
export interface DiscoveryConflict {
  path: string;
  configured: string | string[];
  /** `built-in profile` or the config file */
  configuredFrom: string;
  discovered: string | string[];
  source: string;
}

export interface Discovery {
  /** every value discovery could decide, each with its source */
  values: DiscoveredValue[];
  /** values that differ from the configuration given to discovery (it wins) */
  conflicts: DiscoveryConflict[];
  /** what a reader should know: undecided candidates, sources that could not be read, not on Azure */
  notes: string[];
}
