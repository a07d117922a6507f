import { defineProbe } from '../../../engine/define.js';
import type { HttpRequest, ProbeContext, ProbeResult } from '../../../engine/types.js';
import type { LiveAttempt, LiveResponse, LiveTls, WebLive } from '../../../facts/web.js';
import { execFailure, firstLine } from '../../host/exec-failure.js';
import { C_LOCALE } from '../../host/locale.js';
import { assessedDomain } from '../../../config/domain.js';
import { parseSClient } from './parse.js';

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** `host:port` → `host:80`: where plain HTTP is when only the HTTPS address is configured. */
export function httpAddress(connectTo: string | undefined, connectToHttp: string | undefined): string | undefined {
  if (connectToHttp !== undefined) return connectToHttp;
  if (connectTo === undefined) return undefined;
  const host = /^(\[[^\]]+\]|[^:]+):\d+$/.exec(connectTo)?.[1];
  return host === undefined ? undefined : `${host}:80`;
}

/**
 * What the domain actually serves, seen from this host:
 * - `GET https://<domain>/` and `GET https://<domain><healthPath>` for the headers and the health
 *   status. TLS verification is off on purpose: these read headers, and trust is judged from
 *   the certificate itself (below), so an untrusted certificate does not hide the headers.
 * - `GET http://<domain>/`, not followed, for the HTTP→HTTPS redirect.
 * - `openssl s_client -connect <address> -servername <domain> -showcerts` for the served chain
 *   and OpenSSL's verdict against the system trust store (stdin is closed, so it exits).
 * `domain.connectTo` / `domain.connectToHttp` replace DNS, like curl's `--resolve`. Each part
 * fails on its own; the probe fails only when nothing at all could be read.
 */
export async function collectLive(ctx: ProbeContext): Promise<ProbeResult<WebLive>> {
  const domain = assessedDomain(ctx.config);
  const { connectTo, connectToHttp, healthPath, caFile } = ctx.config.domain;
  const plainAddress = httpAddress(connectTo, connectToHttp);

  const get = async (url: string, via: string | undefined, secure: boolean): Promise<LiveAttempt<LiveResponse>> => {
    const req: HttpRequest = { method: 'GET', url, ...(via !== undefined ? { connectTo: via } : {}), ...(secure ? { tls: { insecure: true } } : {}) };
    try {
      const res = await ctx.http(req);
      return { ok: true, value: { url, status: res.status, headers: lower(res.headers), seq: res.seq } };
    } catch (err) {
      // the HTTP policy refusing the URL is not a connection failure
      const refused = err instanceof Error && err.name === 'HttpPolicyError';
      return { ok: false, error: `GET ${url}${via !== undefined ? ` (connect ${via})` : ''}: ${message(err)}`, ...(refused ? {} : { endpoint: url }) };
    }
  };

  const https = await get(`https://${domain.name}/`, connectTo, true);
  const http = await get(`http://${domain.name}/`, plainAddress, false);
  const healthAttempt = await get(`https://${domain.name}${healthPath}`, connectTo, true);
  const health: WebLive['health'] = healthAttempt.ok ? { ok: true, value: { ...healthAttempt.value, path: healthPath } } : healthAttempt;

  let extraCa: string | undefined;
  let caError: string | undefined;
  if (caFile !== undefined) {
    try {
      const buf = await ctx.readFile(caFile);
      if (buf) extraCa = buf.toString('utf8');
      else caError = `domain.caFile ${caFile} does not exist`;
    } catch (err) {
      caError = `domain.caFile ${caFile}: ${message(err)}`;
    }
  }

  const address = connectTo ?? `${domain.name}:443`;
  let tls: LiveAttempt<LiveTls>;
  const sc = await ctx.exec(['openssl', 's_client', '-connect', address, '-servername', domain.name, '-showcerts'], { env: { ...C_LOCALE } });
  const failure = execFailure(sc, { program: 'openssl', debianPackage: 'openssl' });
  if (failure) {
    // s_client says why on stderr: `connect:errno=111`, `...:tlsv1 alert ...`
    const said = sc.stderr.split('\n').find((l) => /errno|error|alert/i.test(l))?.trim() ?? firstLine(sc.stderr);
    // a missing or refused openssl is not the endpoint's fault
    const connect = failure.reason !== 'not-installed' && sc.refused === undefined;
    tls = { ok: false, error: `openssl s_client -connect ${address}: ${said ?? failure.detail}`, ...(connect ? { endpoint: address } : {}) };
  } else {
    const parsed = parseSClient({ stdout: sc.stdout, address, domain: domain.name, seq: sc.seq, ...(extraCa !== undefined ? { extraCa } : {}) });
    tls = parsed.ok ? { ok: true, value: parsed.value } : { ok: false, error: parsed.detail };
  }
  if (caError !== undefined && tls.ok) tls = { ok: true, value: { ...tls.value, trustedByConfiguredCa: false, configuredCaError: caError } };

  if (!https.ok && !http.ok && !health.ok && !tls.ok) {
    const endpoint = https.endpoint ?? tls.endpoint;
    return {
      ok: false,
      reason: 'failed',
      detail: `${domain.name} could not be reached: ${https.error}; ${tls.error}`,
      ...(endpoint !== undefined ? { cause: { kind: 'unreachable', endpoint: connectTo ?? domain.name } } : {}),
    };
  }
  return {
    ok: true,
    value: {
      domain,
      ...(connectTo !== undefined ? { connectTo } : {}),
      ...(plainAddress !== undefined ? { connectToHttp: plainAddress } : {}),
      https,
      http,
      health,
      tls,
    },
  };
}

function lower(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
  return out;
}

/** What the domain serves: headers, redirect, health status and certificate chain. */
export const liveProbe = defineProbe({
  id: 'web.live',
  describe: 'GET https://<domain>/, http://<domain>/, https://<domain><healthPath>; openssl s_client -connect <host:port> -servername <domain> -showcerts',
  network: true,
  collect: (ctx) => collectLive(ctx),
});
