/**
 * The evidence line naming the domain a host check judged. While `domain.prod` is TBD the host
 * checks judge the current (dev) domain; the undecided domain is one gap, owned by infra.dns, so
 * the other checks say so in this one line and never change their status because of it.
 */
import type { AssessedDomain } from '../../facts/web.js';

export function domainEvidenceText(domain: AssessedDomain): string {
  return domain.source === 'dev' ? `judged on the current domain ${domain.name}; domain.prod is TBD (see infra.dns)` : `domain ${domain.name} (domain.prod)`;
}
