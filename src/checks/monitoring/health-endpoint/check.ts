import { defineCheck } from '../../../engine/define.js';
import type { Finding } from '../../../engine/types.js';
import { livePartUnverified } from '../../lib/live.js';
import { domainEvidenceText } from '../../lib/domain.js';

/**
 * The service answers its health endpoint through nginx over HTTPS (`GET https://<domain><healthPath>`,
 * through domain.connectTo when set). This is the path an uptime monitor or a load balancer
 * probe will take: a 5xx here means nginx is up but the application behind it is not.
 * Certificate trust is judged by security.tls-certificate; this request does not verify it.
 */
export const check = defineCheck({
  meta: {
    id: 'monitoring.health-endpoint',
    section: 'monitoring',
    title: "The domain's health endpoint answers 2xx over HTTPS through nginx",
    severity: 'high',
    effort: { size: 'S', hours: [0.5, 2] },
    remediation: {
      text: 'Make the application answer domain.healthPath with 200 (checking its own dependencies), and route it through nginx (a `location = /health` with proxy_pass); check the upstream with `journalctl -u workflow-api` when nginx answers 502/504.',
      command: 'curl -sS -o /dev/null -w "%{http_code}\\n" https://<domain>/health',
      url: 'https://learn.microsoft.com/azure/architecture/patterns/health-endpoint-monitoring',
    },
    runs: 'GET https://<domain><healthPath> (through domain.connectTo when set)',
  },
  requires: ['web.live'],
  evaluate(facts): Finding {
    const live = facts.need('web.live');
    const which = domainEvidenceText(live.domain);
    if (!live.health.ok) {
      // The HTTPS server answered `/` but not the health path: the endpoint is down (fail). When
      // nothing over HTTPS answered, this host could not reach the service at all: unknown.
      if (!live.https.ok) {
        return {
          status: 'unknown',
          summary: `health endpoint not reached: nothing answered over HTTPS (${live.health.error})`,
          evidence: [{ text: which }, { text: live.health.error }, { text: live.https.error }],
          unverified: [livePartUnverified(live.health, facts.refs('web.live'))],
        };
      }
      return { status: 'fail', summary: `health endpoint unreachable: ${live.health.error}`, evidence: [{ text: which }, { text: live.health.error }] };
    }
    const h = live.health.value;
    const evidence = [{ text: which }, { text: `GET ${h.url} → ${h.status}${h.headers['location'] ? ` Location: ${h.headers['location']}` : ''}`, refs: [h.seq] }];
    if (h.status >= 200 && h.status < 300) return { status: 'pass', summary: `${h.path} answers ${h.status}`, evidence };
    if (h.status >= 300 && h.status < 400) return { status: 'warn', summary: `${h.path} redirects (${h.status}) instead of answering`, evidence };
    return { status: 'fail', summary: `${h.path} answers ${h.status}`, evidence };
  },
});
