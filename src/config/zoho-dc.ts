/**
 * Zoho data centres: the accounts (OAuth) server and the API domain of each, and the API base
 * path of each product. Pure data and lookups, shared by the Zoho probe and checks.
 *
 * Accounts servers: https://zoho.com/accounts/protocol/oauth/multi-dc.html (US .com, EU .eu,
 * IN .in, AU .com.au, JP .jp, CA accounts.zohocloud.ca, SA .sa, UK accounts.zoho.uk).
 * API domains: https://www.zoho.com/books/api/v3/introduction/ and
 * https://www.bigin.com/developer/docs/apis/multi-dc.html (zohoapis.{com,eu,in,com.au,jp,ca,sa}).
 * The UK API domain (`www.zohoapis.uk`) is not in those tables: it follows the pattern and is
 * unconfirmed, which is why the probe prefers the `api_domain` the token response names.
 */
import type { Config } from './schema.js';

/** A data centre as `zoho.dataCenter` names it. */
export type ZohoDataCenter = Config['zoho']['dataCenter'];
/** A product as `zoho.product` names it. */
export type ZohoProduct = Config['zoho']['product'];

/** The two origins of one data centre. */
export interface ZohoDcEndpoints {
  /** OAuth server origin, e.g. `https://accounts.zoho.eu` */
  accounts: string;
  /** REST API origin, e.g. `https://www.zohoapis.eu` */
  api: string;
  /** false where the origin is inferred rather than documented */
  documented: boolean;
}

/** Every data centre the config accepts. */
export const ZOHO_DC: Readonly<Record<ZohoDataCenter, ZohoDcEndpoints>> = {
  com: { accounts: 'https://accounts.zoho.com', api: 'https://www.zohoapis.com', documented: true },
  eu: { accounts: 'https://accounts.zoho.eu', api: 'https://www.zohoapis.eu', documented: true },
  in: { accounts: 'https://accounts.zoho.in', api: 'https://www.zohoapis.in', documented: true },
  'com.au': { accounts: 'https://accounts.zoho.com.au', api: 'https://www.zohoapis.com.au', documented: true },
  jp: { accounts: 'https://accounts.zoho.jp', api: 'https://www.zohoapis.jp', documented: true },
  ca: { accounts: 'https://accounts.zohocloud.ca', api: 'https://www.zohoapis.ca', documented: true },
  sa: { accounts: 'https://accounts.zoho.sa', api: 'https://www.zohoapis.sa', documented: true },
  uk: { accounts: 'https://accounts.zoho.uk', api: 'https://www.zohoapis.uk', documented: false },
};

/** The API base path of each product (https://www.zoho.com/books/api/v3/introduction/, https://www.zoho.com/inventory/api/v1/introduction/). */
export const ZOHO_API_BASE: Readonly<Record<ZohoProduct, string>> = {
  books: '/books/v3',
  inventory: '/inventory/v1',
};

/** Where the probe talks to: the data centre's origins unless `zoho.accountsUrl` / `zoho.apiUrl` override them. */
export interface ZohoEndpoints {
  accountsUrl: string;
  apiUrl: string;
  accountsOverridden: boolean;
  apiOverridden: boolean;
}

const trimSlash = (u: string): string => u.replace(/\/+$/, '');

/** The endpoints for a Zoho config section. */
export function zohoEndpoints(zoho: Pick<Config['zoho'], 'dataCenter' | 'accountsUrl' | 'apiUrl'>): ZohoEndpoints {
  const dc = ZOHO_DC[zoho.dataCenter];
  return {
    accountsUrl: trimSlash(zoho.accountsUrl ?? dc.accounts),
    apiUrl: trimSlash(zoho.apiUrl ?? dc.api),
    accountsOverridden: zoho.accountsUrl !== undefined,
    apiOverridden: zoho.apiUrl !== undefined,
  };
}

/** A URL fit for a fact or a message: any `user:password@` part dropped (an override may carry one for a proxy). */
export function withoutCredentials(url: string): string {
  try {
    const u = new URL(url);
    if (u.username === '' && u.password === '') return url;
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/+$/, '');
  } catch {
    return url.replace(/\/\/[^/@\s]*@/, '//');
  }
}

/** The data centre an API origin (such as a token response's `api_domain`) belongs to; undefined for any other host. */
export function dataCenterOfApiDomain(apiDomain: string): ZohoDataCenter | undefined {
  let origin: string;
  try {
    const u = new URL(apiDomain);
    if (u.protocol !== 'https:') return undefined;
    origin = u.origin;
  } catch {
    return undefined;
  }
  const hit = (Object.entries(ZOHO_DC) as [ZohoDataCenter, ZohoDcEndpoints][]).find(([, e]) => e.api === origin);
  return hit?.[0];
}

/** The data centre of an accounts origin; undefined for any other host. */
export function dataCenterOfAccounts(accountsUrl: string): ZohoDataCenter | undefined {
  let origin: string;
  try {
    origin = new URL(accountsUrl).origin;
  } catch {
    return undefined;
  }
  const hit = (Object.entries(ZOHO_DC) as [ZohoDataCenter, ZohoDcEndpoints][]).find(([, e]) => e.accounts === origin);
  return hit?.[0];
}
