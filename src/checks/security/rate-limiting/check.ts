import { defineCheck } from '../../../engine/define.js';
import type { Evidence, Finding } from '../../../engine/types.js';
import type { NginxLocation, NginxServer } from '../../../facts/web.js';
import { domainEvidenceText } from '../../lib/domain.js';

type Grade = 'pass' | 'warn' | 'fail';
const worse = (a: Grade, b: Grade): Grade => (a === 'fail' || b === 'fail' ? 'fail' : a === 'warn' || b === 'warn' ? 'warn' : 'pass');

/** A place that serves the API: a location, or the server level when no location is an API one. */
interface ApiPlace {
  label: string;
  at: string;
  effective: NginxLocation['effective'];
}

/**
 * The API locations of a server: those whose path names an API (`/api`, `/v1`, `/bot`,
 * `/webhook`, `/messages`), else those that proxy to an application, else the server level.
 */
export function apiPlaces(s: NginxServer): ApiPlace[] {
  const named = s.locations.filter((l) => l.modifier !== '@' && /(^|[/^\\])(api|v\d+|bot|webhooks?|messages)\b/i.test(l.uri));
  const chosen = named.length > 0 ? named : s.locations.filter((l) => l.upstream !== undefined && l.modifier !== '@');
  if (chosen.length > 0) return chosen.map((l) => ({ label: `location ${l.path}`, at: l.at, effective: l.effective }));
  return [{ label: 'server level', at: s.at, effective: s.effective }];
}

/**
 * nginx limits abusive clients before they reach the application: a `limit_req_zone` defined in
 * http *and* `limit_req` in force in every API location (nginx's inheritance: a location with its
 * own limit_req list does not inherit the server's); `limit_conn` for connection floods; and a
 * bounded `client_max_body_size`. Static only: measuring a limit would mean flooding the service.
 * https://nginx.org/en/docs/http/ngx_http_limit_req_module.html
 */
export const check = defineCheck({
  meta: {
    id: 'security.rate-limiting',
    section: 'security',
    title: 'nginx rate-limits every API location (limit_req_zone defined and limit_req applied), limits connections and caps request bodies',
    severity: 'high',
    effort: { size: 'S', hours: [1, 3] },
    remediation: {
      text:
        'Define `limit_req_zone $binary_remote_addr zone=api:10m rate=10r/s;` and `limit_conn_zone $binary_remote_addr zone=perip:10m;` in the http block, then put `limit_req zone=api burst=20 nodelay;` and `limit_conn perip 20;` in every API location (a location with its own limit_req does not inherit the server\'s); keep client_max_body_size bounded (not 0).',
      command: 'sudo nginx -t && sudo systemctl reload nginx',
      url: 'https://nginx.org/en/docs/http/ngx_http_limit_req_module.html',
    },
    runs: 'sudo -n nginx -T: limit_req_zone / limit_req / limit_conn / client_max_body_size in the API locations',
  },
  requires: ['host.nginx'],
  evaluate(facts): Finding {
    const nginx = facts.need('host.nginx');
    const evidence: Evidence[] = [{ text: domainEvidenceText(nginx.domain) }];
    const servers = nginx.domain.https.map((m) => nginx.servers[m.server]).filter((s): s is NginxServer => s !== undefined);
    // Without an HTTPS server the plain-HTTP ones serve the API (the TLS check reports that part).
    const judged = servers.length > 0 ? servers : nginx.domain.http.map((m) => nginx.servers[m.server]).filter((s): s is NginxServer => s !== undefined && s.locations.length > 0);
    if (judged.length === 0) {
      return { status: 'fail', summary: `no nginx server block serves ${nginx.domain.name}: nothing to rate-limit`, evidence };
    }
    const zones = nginx.http.limitReqZones;
    const connZones = nginx.http.limitConnZones;
    let grade: Grade = 'pass';
    const summary: string[] = [];
    if (zones.length === 0) {
      grade = 'fail';
      summary.push('no limit_req_zone defined: no request is rate-limited');
      evidence.push({ text: 'no limit_req_zone in the http block' });
    } else {
      for (const z of zones) evidence.push({ text: `${z.at} ${z.text}` });
    }

    const places = judged.flatMap(apiPlaces);
    const unlimited = places.filter((p) => p.effective.limitReq.length === 0);
    if (zones.length > 0 && unlimited.length > 0) {
      grade = 'fail';
      for (const p of unlimited) evidence.push({ text: `limit_req_zone defined but no limit_req in ${p.label} (${p.at})` });
      summary.push(`no limit_req in ${unlimited.map((p) => p.label).join(', ')}`);
    }
    for (const p of places) {
      for (const r of p.effective.limitReq) {
        evidence.push({ text: `${r.at} ${r.text} (${p.label})` });
        if (zones.length > 0 && !zones.some((z) => z.zone === r.zone)) {
          grade = 'fail';
          summary.push(`${p.label} uses undefined zone ${r.zone}`);
        }
      }
      const dry = p.effective.limitReqDryRun;
      if (dry && dry.args[0] === 'on' && p.effective.limitReq.length > 0) {
        grade = worse(grade, 'warn');
        evidence.push({ text: `${dry.at} ${dry.text}: limits in ${p.label} are logged, not enforced` });
        summary.push(`limit_req_dry_run on in ${p.label}`);
      }
    }

    const noConn = places.filter((p) => p.effective.limitConn.length === 0);
    if (noConn.length > 0) {
      grade = worse(grade, 'warn');
      evidence.push({ text: connZones.length === 0 ? 'no limit_conn_zone defined: connections per client are not limited' : `limit_conn_zone defined but no limit_conn in ${noConn.map((p) => p.label).join(', ')}` });
      summary.push(connZones.length === 0 ? 'no limit_conn' : `no limit_conn in ${noConn.map((p) => p.label).join(', ')}`);
    } else {
      for (const c of new Set(places.flatMap((p) => p.effective.limitConn))) evidence.push({ text: `${c.at} ${c.text}` });
    }

    // client_max_body_size 0 disables the check; nginx's default is 1m
    // (https://nginx.org/en/docs/http/ngx_http_core_module.html#client_max_body_size).
    const bodies = new Set<string>();
    for (const p of places) {
      const b = p.effective.clientMaxBodySize;
      if (b && /^0[kmg]?$/i.test(b.args[0] ?? '')) {
        grade = worse(grade, 'warn');
        evidence.push({ text: `${b.at} ${b.text}: request bodies are unlimited in ${p.label}` });
        summary.push(`client_max_body_size 0 in ${p.label}`);
      } else {
        bodies.add(b ? `${b.at} ${b.text}` : 'client_max_body_size not set (nginx default 1m)');
      }
    }
    for (const b of bodies) evidence.push({ text: b });

    if (grade === 'pass') {
      return { status: 'pass', summary: `limit_req and limit_conn in force in ${places.map((p) => p.label).join(', ')}`, evidence };
    }
    return { status: grade, summary: summary.join('; '), evidence };
  },
});
