/**
 * Zoho's documented API limits per plan. Books: 100 requests per minute per organization;
 * daily Free 1,000, Standard 2,000, Professional 5,000, Premium/Elite/Ultimate 10,000;
 * concurrent calls Free 5, paid 10 (soft), all answered with HTTP 429
 * (https://www.zoho.com/books/api/v3/introduction/#api-call-limit). Inventory: 100 per minute
 * and 5/10 concurrent from a third-party transcription; its per-plan daily numbers are not
 * verified, so they are left unknown (research file, section C).
 */
import type { Config } from '../../../config/schema.js';

/** The documented limits that apply to one org. */
export interface ZohoLimits {
  perMinute: number;
  /** undefined when not documented for the product/plan */
  perDay?: number;
  concurrency: number;
  /** the plan the numbers are for (`TBD` gives the range's bounds) */
  plan: string;
}

const BOOKS_DAILY: Readonly<Record<string, number>> = {
  free: 1000,
  standard: 2000,
  professional: 5000,
  premium: 10000,
  elite: 10000,
  ultimate: 10000,
};

/** The limits of a product and plan; for a TBD plan the most generous numbers (so a breach is certain). */
export function zohoLimits(product: Config['zoho']['product'], plan: Config['zoho']['plan']): ZohoLimits {
  const concurrency = plan === 'free' ? 5 : 10;
  if (product === 'inventory') return { perMinute: 100, concurrency, plan };
  const perDay = plan === 'TBD' ? 10000 : BOOKS_DAILY[plan];
  return { perMinute: 100, concurrency, plan, ...(perDay !== undefined ? { perDay } : {}) };
}

/** Zoho's 429 body codes (https://www.zoho.com/books/api/v3/introduction/). */
export const RATE_LIMIT_CODES: Readonly<Record<number, string>> = {
  44: 'per-minute limit exceeded: the org is blocked for the rest of the minute',
  45: 'daily limit for the plan exceeded',
  1070: 'too many concurrent requests',
};
