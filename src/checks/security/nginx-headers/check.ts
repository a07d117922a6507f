import { defineCheck } from '../../../engine/define.js';

export const check = defineCheck({
  meta: {
    id: 'security.nginx-headers',
    section: 'security',
    title: "nginx sends HSTS, X-Content-Type-Options, frame protection, Referrer-Policy and CSP, and hides its version",
    severity: 'high',
    effort: { size: 'S', hours: [1, 2] },
    remediation: {
      text: "Add the security headers with 'always' in the server block that serves the domain (and repeat them in any location that has its own add_header); set server_tokens off.",
      command: "sudo nginx -t && sudo systemctl reload nginx",
      url: 'https://nginx.org/en/docs/http/ngx_http_headers_module.html#add_header',
    },
    runs: "nginx -T (server blocks for the domain) and a live HTTPS request to the domain",
  },
  requires: [],
  pending: "nginx, certificate and host-service probes (issue: host posture in depth)",
  evaluate() {
    throw new Error('pending checks are not evaluated');
  },
});
