/**
 * Fact shapes produced by the Zoho probe (src/probes/zoho/*). Never a token or a secret:
 * error codes, ids, names, counts and the commands-log entries they came from.
 * Sources: /work/shared/research/zoho-and-bot-facts.md (sections A–D).
 */
import type { CredentialSource } from './project.js';

/** `X-Rate-Limit-*` headers (observed on Books, undocumented: https://github.com/Weble/ZohoBooksApi/issues/38) and `Retry-After`. */
export interface ZohoRateLimitSample {
  /** which call answered: `token`, `organizations`, `sandboxes`, `webhooks` */
  call: string;
  /** commands-log entry of the call */
  seq: number;
  httpStatus: number;
  limit?: number;
  remaining?: number;
  /** seconds until the window resets, as sent */
  reset?: number;
  retryAfter?: string;
}

/**
 * The one token refresh of the run (`POST {accounts}/oauth/v2/token`, grant_type=refresh_token).
 * Zoho reports OAuth errors as HTTP 200 with an `error` field
 * (https://github.com/asciisd/zoho/issues/6), and throttles with HTTP 200 "Access Denied"
 * (https://zohohelp.com/crm/developer/docs/api/v8/token-validity.html).
 */
export type ZohoTokenResult =
  | {
      status: 'ok';
      seq: number;
      httpStatus: number;
      /** seconds; Zoho access tokens last an hour */
      expiresIn?: number;
      /** the API origin Zoho names for this account (`https://www.zohoapis.eu`) */
      apiDomain?: string;
      scopes?: string[];
    }
  /** `{"error":"invalid_client"}`, `{"error":"invalid_code"}`, ... — the code only, never the body */
  | { status: 'error'; seq: number; httpStatus: number; error: string }
  /** too many token requests: HTTP 429, or HTTP 200 `"error":"Access Denied"` */
  | { status: 'throttled'; seq: number; httpStatus: number; detail: string }
  /** an HTTP status or body that is neither a token nor a Zoho error */
  | { status: 'http-error'; seq: number; httpStatus: number; detail: string }
  /** no answer: DNS, connection, TLS, timeout, or refused by the HTTP policy */
  | { status: 'unreachable'; detail: string };

/** One Zoho API read. `code` and `message` are Zoho's body fields (https://www.zoho.com/books/api/v3/errors/). */
export type ZohoCall<T> =
  | { status: 'ok'; seq: number; value: T }
  /** HTTP 429 (codes 44 per-minute, 45 daily, 1070 concurrency: https://www.zoho.com/books/api/v3/introduction/) */
  | { status: 'rate-limited'; seq: number; httpStatus: number; code?: number; message?: string }
  | { status: 'error'; seq: number; httpStatus: number; code?: number; message?: string }
  | { status: 'unreachable'; detail: string }
  /** not attempted; `detail` says why (no token, org id TBD, not offered for the product) */
  | { status: 'skipped'; detail: string };

/** An organization as `GET /organizations` lists it (https://www.zoho.com/books/api/v3/organizations/). */
export interface ZohoOrganization {
  id: string;
  name: string;
  /** `is_org_active`; null when absent */
  active: boolean | null;
  isDefault?: boolean;
  /** `plan_name` / `plan_type` when the response has them (undocumented) */
  planName?: string;
}

/** A webhook as `GET /settings/webhooks` lists it. The URL is split so its query (which may hold a key) never leaves the probe. */
export interface ZohoWebhook {
  id?: string;
  name: string;
  entity?: string;
  method?: string;
  /** scheme and host of the target URL (its path and query may hold a key); null when absent or unparsable */
  url: { scheme: string; host: string; hasQuery: boolean } | null;
  /** a signing secret is set (its value is never kept) */
  hasSecret: boolean;
}

/** How many other organizations' sandbox lists are read (one request each). */
export const MAX_SANDBOX_PARENTS = 10;

/** `zoho.prod`: the production Zoho setup as the configured production credentials see it. */
export interface ZohoProdStatus {
  dataCenter: string;
  product: 'books' | 'inventory';
  plan: string;
  accountsUrl: string;
  /** the API origin the reads went to: `zoho.apiUrl`, else a token's known `api_domain`, else the data centre's */
  apiUrl: string;
  accountsOverridden: boolean;
  apiOverridden: boolean;
  /** configured production org id (may be TBD) */
  orgId: string;
  credentials: { clientId: CredentialSource; clientSecret: CredentialSource; refreshToken: CredentialSource };
  token: ZohoTokenResult;
  organizations: ZohoCall<ZohoOrganization[]>;
  /** organization ids of the Books sandboxes of the prod org (`GET /sandboxes`; response fields undocumented) */
  sandboxes: ZohoCall<string[]>;
  /**
   * `GET /sandboxes` of every other org the token sees (at most {@link MAX_SANDBOX_PARENTS}): a
   * prod org id that is a sandbox of another org is caught from that side too. Absent when not read.
   */
  sandboxesOf?: { orgId: string; name: string; call: ZohoCall<string[]> }[];
  webhooks: ZohoCall<ZohoWebhook[]>;
  rateLimits: ZohoRateLimitSample[];
}
