/**
 * Tests send nothing beyond loopback (DEVELOPERS.md). This setup file, loaded into every test
 * worker, makes any attempt from the test process itself fail loudly: a DNS lookup of a name
 * that is not localhost, or a TCP connection to an address that is not 127.0.0.0/8 or ::1.
 * (Child processes — openssl, getent, az — are kept on loopback by the tests' own configuration.)
 */
import dns from 'node:dns';
import net from 'node:net';

const LOOPBACK_NAMES = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost']);

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (LOOPBACK_NAMES.has(h) || h.endsWith('.localhost')) return true;
  if (net.isIPv4(h)) return h.startsWith('127.');
  if (net.isIPv6(h)) return h === '::1' || /^::ffff:127\./.test(h);
  return false;
}

const blocked = (what: string) => Object.assign(new Error(`blocked in tests: ${what} is not loopback (tests send nothing beyond 127.0.0.1/::1)`), { code: 'ENOTFOUND' });

/**
 * `.invalid` never resolves (RFC 6761 §6.4): the guard answers it as a resolver would, with
 * getaddrinfo's ENOTFOUND, without asking anyone — tests use it for DNS failures.
 */
const isInvalidName = (host: string) => /(^|\.)invalid\.?$/i.test(host);
const notFound = (hostname: string) => Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', errno: -3008, syscall: 'getaddrinfo', hostname });

type LookupCallback = (err: NodeJS.ErrnoException | null, address?: string | dns.LookupAddress[], family?: number) => void;
const originalLookup = dns.lookup.bind(dns) as (...args: unknown[]) => void;
function guardedLookup(hostname: string, ...rest: unknown[]): void {
  const cb = rest[rest.length - 1] as LookupCallback;
  if (isInvalidName(hostname)) {
    process.nextTick(() => cb(notFound(hostname)));
    return;
  }
  if (!isLoopbackHost(hostname)) {
    process.nextTick(() => cb(blocked(`DNS lookup of ${hostname}`)));
    return;
  }
  originalLookup(hostname, ...rest);
}
(dns as { lookup: unknown }).lookup = guardedLookup;
const originalPromiseLookup = dns.promises.lookup.bind(dns.promises);
(dns.promises as { lookup: unknown }).lookup = async (hostname: string, ...rest: unknown[]) => {
  if (isInvalidName(hostname)) throw notFound(hostname);
  if (!isLoopbackHost(hostname)) throw blocked(`DNS lookup of ${hostname}`);
  return (originalPromiseLookup as (...a: unknown[]) => unknown)(hostname, ...rest);
};

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
  // node calls connect with (options, cb), (port, host, cb), (path, cb) or an internal [options, cb] array
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  let host: string | undefined;
  if (typeof first === 'object' && first !== null && !('path' in first && (first as { path?: unknown }).path)) host = (first as { host?: string }).host;
  else if (typeof first === 'number') host = typeof args[1] === 'string' ? args[1] : undefined;
  // an IP literal is connected without a lookup: check it here (names go through the lookup above)
  if (host !== undefined && net.isIP(host.replace(/^\[|\]$/g, '')) !== 0 && !isLoopbackHost(host)) {
    const err = blocked(`a connection to ${host}`);
    process.nextTick(() => this.destroy(err));
    return this;
  }
  return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;
