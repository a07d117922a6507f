/**
 * Fact shapes produced by the bot credential probe (src/probes/bot/*). Never a secret, a
 * token or a credential `hint`: codes, dates, ids and commands-log entries.
 * Sources: /work/shared/research/zoho-and-bot-facts.md (sections E–F).
 */
import type { CredentialSource } from './project.js';

/** Why a step was not attempted. */
export type BotSkipReason = 'opt-out' | 'no-secret' | 'no-app-id' | 'no-tenant' | 'managed-identity' | 'no-token';

/**
 * The client-credentials token request that proves the app secret valid
 * (https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication).
 */
export type BotTokenResult =
  | { status: 'ok'; seq: number; expiresIn?: number }
  /** Entra refused: `invalid_client` with AADSTS7000215 (bad secret), 7000222 (expired), 700016 (app not in tenant) */
  | { status: 'rejected'; seq: number; httpStatus: number; error: string; aadsts: number[] }
  | { status: 'http-error'; seq: number; httpStatus: number; detail: string }
  | { status: 'unreachable'; detail: string }
  | { status: 'skipped'; reason: BotSkipReason; detail: string };

/** A passwordCredential of the app registration (https://learn.microsoft.com/graph/api/resources/passwordcredential), without `hint` and `secretText`. */
export interface BotPasswordCredential {
  keyId: string;
  displayName?: string;
  startDateTime?: string;
  endDateTime?: string;
  /**
   * true when the configured secret starts with this credential's `hint` (its first three
   * characters); undefined when the secret value is not available to the run
   */
  matchesConfigured?: boolean;
}

/** Where the Graph token came from: the operator's Azure identity (the `azure.session` credential), or the app's own secret. */
export type GraphTokenVia = 'azure-identity' | 'app-credentials';

/** `GET /v1.0/applications?$filter=appId eq '…'` (https://learn.microsoft.com/graph/api/application-get). */
export type BotGraphResult =
  | {
      status: 'ok';
      seq: number;
      via: GraphTokenVia;
      displayName?: string;
      passwordCredentials: BotPasswordCredential[];
      /** certificates (keyCredentials): counted, not judged */
      keyCredentialCount: number;
    }
  /** 403 Authorization_RequestDenied: the identity lacks Application.Read.All */
  | { status: 'forbidden'; seq: number; via: GraphTokenVia; httpStatus: number; code?: string }
  /** no application with the app id in the tenant the token is for */
  | { status: 'not-found'; seq: number; via: GraphTokenVia }
  | { status: 'error'; seq?: number; via?: GraphTokenVia; httpStatus?: number; detail: string }
  | { status: 'skipped'; reason: BotSkipReason; detail: string };

/** `bot.credentials`: the production bot's app secret, as far as it can be checked from here. */
export interface BotCredentialsStatus {
  /** `bot.registration` */
  registration: string;
  /** the app id checked (prod's, or dev's when the registration is `same`); may be TBD */
  appId: string;
  tenantId: string;
  /** `bot.prod.appType` when set (UserAssignedMSI has no secret) */
  appType?: string;
  /** the tenant segment of the token request (`<tenant id>` or `botframework.com`) */
  authority?: string;
  secretRef: { env?: string; keyVaultSecret?: string };
  secretSource: CredentialSource;
  token: BotTokenResult;
  graph: BotGraphResult;
}
