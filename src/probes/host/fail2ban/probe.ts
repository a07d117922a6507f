import { defineProbe } from '../../../engine/define.js';
import type { ProbeContext, ProbeResult } from '../../../engine/types.js';
import type { Fail2banJail, Fail2banStatus } from '../../../facts/host.js';
import { execFailure, firstLine } from '../exec-failure.js';
import { C_LOCALE } from '../locale.js';
import { parseFail2banJail, parseFail2banStatus } from './parse.js';

const PROGRAM = { program: 'fail2ban-client', debianPackage: 'fail2ban' };

/**
 * What the client says when it cannot reach the server (fail2ban 0.10+:
 * `ERROR   Failed to access socket path: /var/run/fail2ban/fail2ban.sock. Is fail2ban running?`;
 * older: `Could not find server`). That is a fact about the host (installed, not running), so
 * the probe succeeds with `running: false` and the check fails — it is not an unknown.
 */
const NOT_RUNNING = /Failed to access socket path|Is fail2ban running\?|Could not find server/i;

/** Jail names come from the server; pass only plain names on to argv. */
const JAIL_NAME = /^[A-Za-z0-9._@:-]+$/;

/** `fail2ban-client [-s <socket>] <args...>`: `-s` only picks the server to ask (fail2ban-client(1)). */
function clientArgv(socket: string | undefined, ...args: string[]): string[] {
  return socket === undefined ? ['fail2ban-client', ...args] : ['fail2ban-client', '-s', socket, ...args];
}

async function jailStatus(ctx: ProbeContext, name: string, socket: string | undefined): Promise<Fail2banJail> {
  if (!JAIL_NAME.test(name)) return { name, detail: 'unusual jail name: not queried' };
  const result = await ctx.exec(clientArgv(socket, 'status', name), { sudo: true, env: { ...C_LOCALE } });
  const failure = execFailure(result, PROGRAM);
  if (failure) return { name, detail: failure.detail };
  const parsed = parseFail2banJail(name, result.stdout);
  return parsed.ok ? parsed.value : { name, detail: parsed.detail };
}

/**
 * `fail2ban-client status`, then `fail2ban-client status <jail>` for every jail, concurrently.
 * The socket is root-only, hence sudo -n. A jail whose status cannot be read is kept, with
 * its counters unknown and the reason in `detail`: the server did list it as enabled.
 *
 * @param socket the server's socket (`-s`); the default is the one in /etc/fail2ban/fail2ban.conf.
 *   Tests pass the socket of a server they started on a fixture configuration.
 */
export async function collectFail2ban(ctx: ProbeContext, socket?: string): Promise<ProbeResult<Fail2banStatus>> {
  const result = await ctx.exec(clientArgv(socket, 'status'), { sudo: true, env: { ...C_LOCALE } });
  const failure = execFailure(result, PROGRAM);
  if (failure) {
    const said = `${result.stderr}\n${result.stdout}`;
    if (failure.reason === 'failed' && NOT_RUNNING.test(said)) {
      const line = said.split('\n').find((l) => NOT_RUNNING.test(l)) ?? said;
      // Drop the client's log prefix (`2026-11-26 02:13:14,171 fail2ban [4859]: ERROR   `).
      const detail = (firstLine(line) ?? line).replace(/^.*?ERROR\s+/, '');
      return { ok: true, value: { running: false, jails: [], detail } };
    }
    return failure;
  }
  const names = parseFail2banStatus(result.stdout);
  if (!names.ok) return names;
  const jails = await Promise.all(names.value.map((name) => jailStatus(ctx, name, socket)));
  return { ok: true, value: { running: true, jails } };
}

/** The `host.fail2ban` probe: {@link collectFail2ban} on the default socket. */
export const fail2banProbe = defineProbe({
  id: 'host.fail2ban',
  describe: 'sudo -n fail2ban-client status (and status <jail> for each jail)',
  collect: (ctx) => collectFail2ban(ctx),
});
