import { defineCheck } from '../../../engine/define.js';

export const check = defineCheck({
  meta: {
    id: 'security.tls-certificate',
    section: 'security',
    title: "The domain serves a valid certificate (hostname match, > 14 days left) and renews automatically",
    severity: 'critical',
    blocker: true,
    effort: { size: 'S', hours: [1, 2] },
    remediation: {
      text: "Issue a Let's Encrypt certificate for the production host name and make sure certbot.timer (or a cron entry) renews it; test with a dry run.",
      command: "sudo certbot certonly --nginx -d <prod-domain> && sudo certbot renew --dry-run",
      url: 'https://eff-certbot.readthedocs.io/en/stable/using.html#automated-renewals',
    },
    runs: "certbot certificates, the live certificate (TLS handshake), certbot.timer or cron renewal",
  },
  requires: [],
  pending: "nginx, certificate and host-service probes (issue: host posture in depth)",
  evaluate() {
    throw new Error('pending checks are not evaluated');
  },
});
