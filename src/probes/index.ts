/** The probe registry: every probe a check may require, by id. */
import type { FactId } from '../facts/index.js';
import type { Probe } from '../engine/types.js';
import { ufwProbe } from './host/ufw/probe.js';
import { listeningProbe } from './host/listening/probe.js';
import { sshdProbe } from './host/sshd/probe.js';
import { aptUpgradableProbe } from './host/apt-upgradable/probe.js';
import { fail2banProbe } from './host/fail2ban/probe.js';
import { netfilterProbe } from './host/netfilter/probe.js';
import { servicesProbe } from './host/services/probe.js';
import { processesProbe } from './host/processes/probe.js';
import { diskProbe } from './host/disk/probe.js';
import { nginxProbe } from './host/nginx/probe.js';
import { certbotProbe } from './host/certbot/probe.js';
import { certbotRenewalProbe } from './host/certbot/renewal.js';
import { liveProbe } from './web/live/probe.js';
import { credentialsProbe } from './project/credentials/probe.js';
import { worldReadableProbe } from './project/world-readable/probe.js';
import { policiesProbe } from './project/policies/probe.js';
import { zohoProdProbe } from './zoho/prod/probe.js';
import { botCredentialsProbe } from './bot/credentials/probe.js';
import { monitoringAgentsProbe } from './host/monitoring-agents/probe.js';
import { backupJobsProbe } from './host/backup-jobs/probe.js';
import { runbooksProbe } from './project/runbooks/probe.js';
import { AZURE_PROBES } from './azure/index.js';
import { envProbe } from './project/env/probe.js';
import { attestationsProbe } from './project/attestations/probe.js';

type ProbeRegistry = { [K in FactId]: Probe<K> };

export const PROBES: ProbeRegistry = {
  'host.ufw': ufwProbe,
  'host.listening': listeningProbe,
  'host.sshd': sshdProbe,
  'host.apt-upgradable': aptUpgradableProbe,
  'host.fail2ban': fail2banProbe,
  'host.netfilter': netfilterProbe,
  'host.services': servicesProbe,
  'host.processes': processesProbe,
  'host.disk': diskProbe,
  'host.nginx': nginxProbe,
  'host.certbot': certbotProbe,
  'host.certbot-renewal': certbotRenewalProbe,
  'web.live': liveProbe,
  'host.monitoring-agents': monitoringAgentsProbe,
  'host.backup-jobs': backupJobsProbe,
  'project.runbooks': runbooksProbe,
  ...AZURE_PROBES,
  'project.env': envProbe,
  'project.attestations': attestationsProbe,
  'project.credentials': credentialsProbe,
  'project.world-readable': worldReadableProbe,
  'project.policies': policiesProbe,
  'zoho.prod': zohoProdProbe,
  'bot.credentials': botCredentialsProbe,
};
