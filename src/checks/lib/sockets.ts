/** Listening sockets as the checks see them. */
import type { ListeningSocket } from '../../facts/host.js';

/** Loopback-only sockets: 127.0.0.0/8, ::1, IPv4-mapped loopback, or bound to the `lo` device. */
export function isLoopback(s: ListeningSocket): boolean {
  const a = s.address.toLowerCase();
  return s.scope === 'lo' || a.startsWith('127.') || a === '::1' || a.startsWith('::ffff:127.') || a === 'localhost';
}
