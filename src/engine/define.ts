import type { FactTypes } from '../facts/index.js';
import type { Check, Probe } from './types.js';

/** Identity helpers that give probe and check modules their types (typescript-eslint's createRule habit). */
export function defineProbe<K extends keyof FactTypes>(probe: Probe<K>): Probe<K> {
  return probe;
}

export function defineCheck(check: Check): Check {
  return check;
}
