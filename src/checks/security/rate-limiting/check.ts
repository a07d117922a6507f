import { defineCheck } from '../../../engine/define.js';

export const check = defineCheck({
  meta: {
    id: 'security.rate-limiting',
    section: 'security',
    title: "nginx rate-limits the API locations (limit_req_zone defined and limit_req applied)",
    severity: 'high',
    effort: { size: 'S', hours: [1, 3] },
    remediation: {
      text: "Define a limit_req_zone in the http block and apply limit_req (with burst) in the /api locations; add limit_conn for connection floods.",
      command: "sudo nginx -t && sudo systemctl reload nginx",
      url: 'https://nginx.org/en/docs/http/ngx_http_limit_req_module.html',
    },
    runs: "nginx -T: limit_req_zone / limit_req / limit_conn in the API locations",
  },
  requires: [],
  pending: "nginx, certificate and host-service probes (issue: host posture in depth)",
  evaluate() {
    throw new Error('pending checks are not evaluated');
  },
});
