/**
 * Where a log output sends to, reduced to what is safe to report: a host, `host:port`, or a URL
 * without its user info and query (both can carry credentials: `https://user:pass@loki/...`,
 * SAS tokens in `?sig=`). Shared by the rsyslog, fluent-bit, vector, promtail and journal-upload
 * parsers so "is this remote?" means the same everywhere.
 */

/** Loopback and "this host" names: logs sent there have not left the VM. */
export function isLocalHost(host: string): boolean {
  const h = host.trim().replace(/^\[|\]$/g, '').toLowerCase();
  return (
    h === 'localhost' ||
    h === 'ip6-localhost' ||
    h === 'ip6-loopback' ||
    h.endsWith('.localhost') ||
    /^127(?:\.\d{1,3}){3}$/.test(h) ||
    h === '::1' ||
    h === '0.0.0.0' ||
    h === '::' ||
    /^::ffff:127(?:\.\d{1,3}){3}$/.test(h)
  );
}

/** `host` or `host:port`, with IPv6 hosts in brackets. */
export function hostPort(host: string, port?: string | number): string {
  const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return port === undefined || port === '' ? h : `${h}:${port}`;
}

/** True when the text still holds an unexpanded variable (`${LOKI_URL}`, `$HOST`, `%ENV%`). */
export function hasVariable(text: string): boolean {
  return /\$\{[^}]*\}|\$[A-Za-z_]|`/.test(text);
}

/**
 * A URL without user info, query or fragment (`https://user:pw@logs.example.net:3100/loki/api/v1/push?x=1`
 * → `https://logs.example.net:3100/loki/api/v1/push`), and its host. Text that is not a URL (a
 * variable, a bare host) is returned with any `user:pass@` part removed.
 */
export function safeUrl(text: string): { display: string; host?: string } {
  const trimmed = text.trim();
  if (hasVariable(trimmed)) return { display: trimmed.replace(/\/\/[^/@\s]*@/, '//').replace(/[?#].*$/, '') };
  try {
    const u = new URL(trimmed);
    return { display: `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`, host: u.hostname };
  } catch {
    const bare = trimmed.replace(/^[^/@\s]*@/, '').replace(/[?#].*$/, '');
    const host = /^(\[[^\]]+\]|[^:/\s]+)/.exec(bare)?.[1];
    return host === undefined ? { display: bare } : { display: bare, host };
  }
}

/** Remote unless the host is a loopback name; an unexpanded variable counts as remote (it is set somewhere to ship). */
export function remoteHost(host: string | undefined): boolean {
  if (host === undefined || host.trim() === '') return false;
  if (hasVariable(host)) return true;
  return !isLocalHost(host);
}

/** Keys whose values are credentials in agent configs (fluent-bit `Shared_Key`, vector `shared_key`, promtail `password`). */
export const SECRET_KEY = /(?:^|[._-])(?:shared_?key|client_?secret|secret(?:_access_key)?|passw(?:or)?d|http_passwd|token|bearer_token|api_?key|access_?key|connection_?string|sas(?:_token)?|auth)$/i;

/** The password of a `scheme://user:password@host` URL, for the redactor. */
export function urlPassword(text: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/@\s:]*:([^/@\s]+)@/i.exec(text.trim());
  return m?.[1];
}
