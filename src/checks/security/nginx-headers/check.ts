import { defineCheck } from '../../../engine/define.js';
import type { Evidence, Finding } from '../../../engine/types.js';
import type { LiveAttempt, LiveResponse, NginxConfig, NginxHeader, NginxServer, WebLive } from '../../../facts/web.js';
import { headerMap, judge, REQUIREMENTS, type Requirement } from './headers.js';
import { failureText, unverifiedOf } from '../../lib/failure.js';
import { capUnverified, liveUnverified } from '../../lib/unverified.js';
import { domainEvidenceText } from '../../lib/domain.js';

/** One place that answers requests: a location (or the server level) of an HTTPS server for the domain. */
interface Place {
  label: string;
  at?: string;
  /** add_header in force (nginx's inheritance applied); undefined when only the live response is known */
  headers?: NginxHeader[];
  /** the live response this place produced, when one of the live requests was routed here */
  live?: LiveResponse;
}

type Grade = 'pass' | 'warn' | 'fail';
const worse = (a: Grade, b: Grade): Grade => (a === 'fail' || b === 'fail' ? 'fail' : a === 'warn' || b === 'warn' ? 'warn' : 'pass');


/** The places of one HTTPS server, with the live responses routed to them. */
function placesOf(nginx: NginxConfig, live: WebLive | undefined): { places: Place[]; server: NginxServer }[] {
  return nginx.domain.https.flatMap((m) => {
    const s = nginx.servers[m.server];
    if (!s) return [];
    const places: Place[] = s.locations.map((l) => ({ label: `location ${l.path}`, at: l.at, headers: l.effective.headers }));
    const serverPlace: Place = { label: 'server level', at: s.at, headers: s.effective.headers };
    if (m.routes.some((r) => r.location === null)) places.push(serverPlace);
    const attach = (path: string, attempt: LiveAttempt<LiveResponse> | undefined) => {
      if (!attempt?.ok) return;
      const route = m.routes.find((r) => r.path === path);
      if (!route) return;
      const place = route.location === null ? serverPlace : places[route.location];
      if (place && place.live === undefined) place.live = attempt.value;
    };
    attach('/', live?.https);
    if (live) attach(live.health.ok ? live.health.value.path : '', live.health);
    return [{ places, server: s }];
  });
}

/** Places from the live responses alone (nginx -T could not be read). */
function livePlaces(live: WebLive): Place[] {
  const out: Place[] = [];
  if (live.https.ok) out.push({ label: `GET ${live.https.value.url}`, live: live.https.value });
  if (live.health.ok) out.push({ label: `GET ${live.health.value.url}`, live: live.health.value });
  return out;
}

/**
 * Security headers as nginx sends them for the domain. The static reading (`nginx -T`) covers
 * every location, with nginx's add_header inheritance: a location with any add_header of its own
 * drops all of the server's (https://nginx.org/en/docs/http/ngx_http_headers_module.html#add_header).
 * The live responses (`/` and the health path) show what is really sent — headers set by the
 * application behind nginx included — and win where the two disagree.
 */
export const check = defineCheck({
  meta: {
    id: 'security.nginx-headers',
    section: 'security',
    title: 'nginx sends HSTS (≥ 6 months), X-Content-Type-Options, frame protection, Referrer-Policy and CSP on every location, and hides its version',
    severity: 'high',
    effort: { size: 'S', hours: [1, 2] },
    remediation: {
      text:
        "Put the security headers in one snippet (add_header … always) included in the server block that serves the domain, and include it again in every location that has an add_header of its own (nginx drops the server's headers there); set Strict-Transport-Security max-age to at least 15768000 (63072000 recommended) and server_tokens off.",
      command: 'sudo nginx -t && sudo systemctl reload nginx',
      url: 'https://infosec.mozilla.org/guidelines/web_security',
    },
    runs: 'sudo -n nginx -T (server blocks for the domain) and GET https://<domain>/ and <healthPath>',
  },
  requires: [],
  uses: ['host.nginx', 'web.live'],
  evaluate(facts): Finding {
    const n = facts.maybe('host.nginx');
    const l = facts.maybe('web.live');
    const nginx = n?.ok ? n.value : undefined;
    const live = l?.ok ? l.value : undefined;
    const evidence: Evidence[] = [];
    // nginx -T is the only view of every location; the live `/` is what is really sent.
    const unverified = [...(nginx ? [] : [unverifiedOf('host.nginx', n)].filter((u) => u !== undefined)), ...liveUnverified(l, ['https'])];
    if (!nginx && !live) {
      const why = [failureText('host.nginx', n), failureText('web.live', l)];
      return { status: 'unknown', summary: `could not verify: ${why.join('; ')}`, evidence: why.map((text) => ({ text })), unverified };
    }
    const domain = nginx?.domain ?? live?.domain;
    if (domain) evidence.push({ text: domainEvidenceText(domain) });
    if (!nginx) evidence.push({ text: `${failureText('host.nginx', n)}: judged from the live responses only` });
    if (!live && l !== undefined) evidence.push({ text: `${failureText('web.live', l)}: judged from the configuration only` });

    let groups: { places: Place[]; server?: NginxServer }[];
    if (nginx) {
      groups = placesOf(nginx, live);
      if (groups.length === 0) {
        if (!live || livePlaces(live).length === 0) {
          return { status: 'fail', summary: `no nginx server block serves ${nginx.domain.name} over HTTPS`, evidence: [...evidence, { text: `files: ${nginx.files.join(', ')}` }], ...(unverified.length > 0 ? { unverified } : {}) };
        }
        evidence.push({ text: `no nginx server block serves ${nginx.domain.name} over HTTPS: judged from the live responses only` });
        groups = [{ places: livePlaces(live) }];
      }
    } else {
      groups = [{ places: live ? livePlaces(live) : [] }];
    }

    let grade: Grade = 'pass';
    const summary: string[] = [];
    const refsOf = (p: Place): number[] | undefined => (p.live ? [p.live.seq] : undefined);
    /** weak values: problem text → where configured and the places it is in force */
    const weak = new Map<string, { at?: string; places: Place[] }>();
    /** missing headers: place → header labels */
    const lacking = new Map<Place, string[]>();

    for (const req of REQUIREMENTS) {
      for (const { places } of groups) {
        for (const place of places) {
          const staticResult = place.headers ? judge(req, headerMap(place.headers.map((h) => [h.header, h.value] as const))) : undefined;
          const liveResult = place.live ? judge(req, headerMap(Object.entries(place.live.headers))) : undefined;
          const final = liveResult ?? staticResult;
          if (!final) continue;
          if (final.ok) {
            if (staticResult && !staticResult.ok && place.live) {
              evidence.push({ text: `${place.label}: ${final.shown} is sent by the application behind nginx (not set in the nginx configuration; live ${place.live.url})`, refs: [place.live.seq] });
            }
            continue;
          }
          grade = worse(grade, req.grade);
          if (staticResult?.ok && place.live) {
            const configured = place.headers?.find((h) => sameHeader(req, h.header));
            const noAlways = configured && !configured.always && place.live.status >= 400 ? `; without "always" nginx does not add it to a ${place.live.status} response` : '';
            evidence.push({
              text: `${place.label}: the configuration sets ${staticResult.shown}${configured ? ` (${configured.at})` : ''} but the live response from ${place.live.url} (status ${place.live.status}) has ${final.problem}${noAlways} — the live response wins`,
              refs: [place.live.seq],
            });
          }
          if (/ missing( |$)/.test(final.problem)) {
            lacking.set(place, [...(lacking.get(place) ?? []), req.label]);
          } else {
            const source = place.headers?.find((h) => sameHeader(req, h.header));
            const entry = weak.get(final.problem) ?? { places: [], ...(source ? { at: source.at } : {}) };
            entry.places.push(place);
            weak.set(final.problem, entry);
          }
        }
      }
    }
    for (const [problem, { at, places }] of weak) {
      const refs = places.flatMap((p) => refsOf(p) ?? []);
      evidence.push({ text: `${problem}${at ? ` — ${at}` : ''} (in force in ${places.map((p) => p.label).join(', ')})`, ...(refs.length > 0 ? { refs } : {}) });
      summary.push(problem);
    }
    for (const [place, labels] of lacking) {
      const refs = refsOf(place);
      const seen = place.live ? ` (live ${place.live.url}, status ${place.live.status})` : '';
      evidence.push({ text: `${place.label}${place.at ? ` (${place.at})` : ''} lacks ${labels.join(', ')}${seen}`, ...(refs ? { refs } : {}) });
      summary.push(`${place.label} lacks ${labels.join(', ')}`);
    }

    // The inheritance trap, named where it happens: the location's own add_header drops the server's.
    for (const { server } of groups) {
      if (!server) continue;
      for (const loc of server.locations) {
        const dropped = loc.effective.droppedHeaders.filter((h) => REQUIREMENTS.some((r) => sameHeader(r, h.header)));
        const own = loc.ownHeaders[0];
        if (dropped.length === 0 || !own) continue;
        const parent = loc.parent === undefined ? server.effective.headersFrom : server.locations[loc.parent]?.effective.headersFrom;
        evidence.push({ text: `${own.at} location ${loc.path} ${own.text} — drops ${parent ?? 'outer'}-level ${[...new Set(dropped.map((h) => h.header))].join(', ')}` });
      }
    }

    // server_tokens: the version in `Server:` helps an attacker pick exploits (OWASP: remove Server details).
    const tokens = serverTokens(groups, live);
    if (tokens) {
      grade = worse(grade, 'warn');
      evidence.push(tokens);
      summary.push('nginx version not hidden (server_tokens)');
    }

    const judged = groups.reduce((k, g) => k + g.places.length, 0);
    if (judged === 0) {
      // zero places judged is never "all 0 locations send the headers"
      return {
        status: 'unknown',
        summary: 'no HTTPS response and no HTTPS server block to judge',
        evidence,
        unverified: unverified.length > 0 ? unverified : [{ probe: 'web.live', cause: { kind: 'probe', probe: 'web.live', reason: 'failed' }, detail: 'no HTTPS response to judge' }],
      };
    }
    if (grade === 'pass') {
      const shown = groups.flatMap((g) => g.places).find((p) => p.live ?? p.headers);
      const hsts = shown?.live?.headers['strict-transport-security'] ?? shown?.headers?.find((h) => h.header.toLowerCase() === 'strict-transport-security')?.value;
      const places = groups.reduce((k, g) => k + g.places.length, 0);
      const hstsAt = shown?.headers?.find((h) => h.header.toLowerCase() === 'strict-transport-security')?.at;
      if (hsts) evidence.push({ text: `Strict-Transport-Security: ${hsts}${hstsAt ? ` (${hstsAt})` : ''}` });
      return capUnverified({ status: 'pass', summary: `all ${places} HTTPS location(s) send the security headers; server_tokens off`, evidence }, unverified);
    }
    return capUnverified({ status: grade, summary: summary.join('; '), evidence }, unverified);
  },
});

function sameHeader(req: Requirement, name: string): boolean {
  const n = name.toLowerCase();
  if (req.id === 'frame') return n === 'x-frame-options' || n === 'content-security-policy';
  return n === req.label.toLowerCase();
}

/** The server_tokens finding, or undefined when the version is hidden. Live `Server:` wins. */
function serverTokens(groups: { places: Place[]; server?: NginxServer }[], live: WebLive | undefined): Evidence | undefined {
  const liveServer = live?.https.ok ? live.https.value.headers['server'] : undefined;
  if (live?.https.ok && liveServer !== undefined) {
    if (/\/\d/.test(liveServer)) return { text: `Server: ${liveServer} in the live response from ${live.https.value.url} (server_tokens is not off)`, refs: [live.https.value.seq] };
    return undefined;
  }
  for (const { server } of groups) {
    if (!server) continue;
    const t = server.effective.serverTokens;
    if (!t) return { text: `server_tokens not set for the server at ${server.at} (default on: nginx sends its version)` };
    if (t.args[0] !== 'off') return { text: `${t.at} ${t.text}` };
    const loc = server.locations.find((l) => l.effective.serverTokens && l.effective.serverTokens.args[0] !== 'off');
    if (loc?.effective.serverTokens) return { text: `${loc.effective.serverTokens.at} ${loc.effective.serverTokens.text} (location ${loc.path})` };
  }
  return undefined;
}
