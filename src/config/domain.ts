/**
 * The domain predeploy assesses: the production host name, or the dev one while production is
 * still TBD (the facts say which, so a report never passes off dev as prod).
 */
import type { Config } from './schema.js';
import { isTbd } from './tbd.js';
import type { AssessedDomain } from '../facts/web.js';

/** `domain.prod`, else `domain.dev` when prod is TBD. */
export function assessedDomain(config: Config): AssessedDomain {
  const prod = config.domain.prod;
  return isTbd(prod) ? { name: config.domain.dev.toLowerCase(), source: 'dev' } : { name: prod.toLowerCase(), source: 'prod' };
}
