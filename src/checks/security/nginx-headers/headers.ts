/**
 * The response headers a production HTTPS service should send, and how to judge a value.
 * Sources: Mozilla web security guidelines (https://infosec.mozilla.org/guidelines/web_security),
 * OWASP Secure Headers Project (https://owasp.org/www-project-secure-headers/).
 */

/** HSTS max-age floor: six months, in seconds (Mozilla: "minimum of six months"; two years recommended). */
export const HSTS_MIN_SECONDS = 15_768_000;

export type RequirementId = 'hsts' | 'nosniff' | 'frame' | 'referrer' | 'csp';

export interface Requirement {
  id: RequirementId;
  /** the header name as it is usually written */
  label: string;
  /**
   * fail: the header closes a direct attack (SSL stripping, MIME sniffing, clickjacking);
   * warn: defence in depth for an API-first service (CSP, Referrer-Policy).
   */
  grade: 'fail' | 'warn';
}

export const REQUIREMENTS: readonly Requirement[] = [
  { id: 'hsts', label: 'Strict-Transport-Security', grade: 'fail' },
  { id: 'nosniff', label: 'X-Content-Type-Options', grade: 'fail' },
  { id: 'frame', label: 'X-Frame-Options', grade: 'fail' },
  { id: 'referrer', label: 'Referrer-Policy', grade: 'warn' },
  { id: 'csp', label: 'Content-Security-Policy', grade: 'warn' },
];

/** Headers by lower-case name (the last value wins, as a browser would see a repeated header joined). */
export type HeaderMap = ReadonlyMap<string, string>;

export function headerMap(entries: Iterable<readonly [string, string]>): Map<string, string> {
  const m = new Map<string, string>();
  for (const [k, v] of entries) m.set(k.toLowerCase(), v);
  return m;
}

/** `max-age=…` of an HSTS value, or undefined. */
export function hstsMaxAge(value: string): number | undefined {
  const m = /(?:^|;)\s*"?max-age\s*=\s*"?(\d+)"?/i.exec(value);
  return m ? Number(m[1]) : undefined;
}

/**
 * Whether `headers` satisfy a requirement; `problem` is the offending value or `missing`.
 */
export function judge(req: Requirement, headers: HeaderMap): { ok: true; shown: string } | { ok: false; problem: string } {
  const get = (name: string) => headers.get(name.toLowerCase());
  switch (req.id) {
    case 'hsts': {
      const v = get('strict-transport-security');
      if (v === undefined) return { ok: false, problem: 'Strict-Transport-Security missing' };
      const age = hstsMaxAge(v);
      if (age === undefined) return { ok: false, problem: `Strict-Transport-Security: ${v} (no max-age)` };
      if (age < HSTS_MIN_SECONDS) return { ok: false, problem: `Strict-Transport-Security: ${v} (< ${HSTS_MIN_SECONDS})` };
      return { ok: true, shown: `Strict-Transport-Security: ${v}` };
    }
    case 'nosniff': {
      const v = get('x-content-type-options');
      if (v === undefined) return { ok: false, problem: 'X-Content-Type-Options missing' };
      return v.trim().toLowerCase() === 'nosniff' ? { ok: true, shown: `X-Content-Type-Options: ${v}` } : { ok: false, problem: `X-Content-Type-Options: ${v} (expected nosniff)` };
    }
    case 'frame': {
      // CSP frame-ancestors supersedes X-Frame-Options (CSP Level 2); either protects.
      const csp = get('content-security-policy');
      if (csp !== undefined && /(?:^|;)\s*frame-ancestors\s/i.test(csp)) return { ok: true, shown: 'Content-Security-Policy: frame-ancestors …' };
      const v = get('x-frame-options');
      if (v === undefined) return { ok: false, problem: 'X-Frame-Options missing (and no CSP frame-ancestors)' };
      return /^(deny|sameorigin)$/i.test(v.trim()) ? { ok: true, shown: `X-Frame-Options: ${v}` } : { ok: false, problem: `X-Frame-Options: ${v} (expected DENY or SAMEORIGIN)` };
    }
    case 'referrer': {
      const v = get('referrer-policy');
      if (v === undefined) return { ok: false, problem: 'Referrer-Policy missing' };
      // unsafe-url sends full URLs (with query strings) to every origin, even over HTTP
      return /unsafe-url/i.test(v) ? { ok: false, problem: `Referrer-Policy: ${v}` } : { ok: true, shown: `Referrer-Policy: ${v}` };
    }
    case 'csp': {
      const v = get('content-security-policy');
      return v === undefined ? { ok: false, problem: 'Content-Security-Policy missing' } : { ok: true, shown: `Content-Security-Policy: ${v}` };
    }
  }
}
