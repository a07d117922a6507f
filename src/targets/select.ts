/**
 * `--target` values, parsed in one place: `local` (this machine, the default) and
 * `ssh://[user@]host[:port]`. Other forms (`replay:DIR`, ...) are added here as new kinds.
 */
import { UsageError } from '../engine/errors.js';

export type TargetSpec =
  | { kind: 'local' }
  | { kind: 'ssh'; host: string; user?: string; port?: number };

const HOST = /^(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,252})|\[[0-9A-Fa-f:.]{2,45}\])$/;
const USER = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;

/** Parses one `--target` value; a bad one is a UsageError (exit 2) naming the expected forms. */
export function parseTargetSpec(text: string): TargetSpec {
  if (text === 'local') return { kind: 'local' };
  const m = /^ssh:\/\/(?:([^@/]*)@)?(\[[^\]]*\]|[^:/@]*)(?::([^/]*))?\/?$/.exec(text);
  if (!m) throw new UsageError(`--target "${text.slice(0, 80)}": expected local or ssh://[user@]host[:port]`);
  const [, user, rawHost = '', port] = m;
  if (!HOST.test(rawHost)) throw new UsageError(`--target "${text.slice(0, 80)}": invalid host "${rawHost.slice(0, 60)}"`);
  if (user !== undefined && !USER.test(user)) throw new UsageError(`--target "${text.slice(0, 80)}": invalid user "${user.slice(0, 40)}"`);
  let portNo: number | undefined;
  if (port !== undefined) {
    portNo = Number(port);
    if (!/^\d{1,5}$/.test(port) || portNo < 1 || portNo > 65535) throw new UsageError(`--target "${text.slice(0, 80)}": invalid port "${port.slice(0, 10)}"`);
  }
  const host = rawHost.startsWith('[') ? rawHost.slice(1, -1) : rawHost;
  return { kind: 'ssh', host, ...(user !== undefined ? { user } : {}), ...(portNo !== undefined ? { port: portNo } : {}) };
}

/** The name a target has in logs, folders and the fleet: `user@host:port` without defaults. */
export function sshTargetName(s: { host: string; user?: string; port?: number }): string {
  const host = s.host.includes(':') ? `[${s.host}]` : s.host;
  return `${s.user !== undefined ? `${s.user}@` : ''}${host}${s.port !== undefined ? `:${s.port}` : ''}`;
}
