/**
 * The facts probes produce, keyed by probe id. Checks read facts by these keys
 * (Trivy style: probes are data producers, checks read a fact by key).
 * Adding a probe: add its value type in a file of this folder and its key here.
 */
import type { AptUpgrades, Fail2banStatus, ListeningSocket, SshdEffectiveConfig, UfwStatus } from './host.js';
import type { Attestations, EnvScan } from './project.js';

export interface FactTypes {
  /** `ufw status verbose` */
  'host.ufw': UfwStatus;
  /** `ss -tlnp` (TCP listeners) */
  'host.listening': ListeningSocket[];
  /** `sshd -T` */
  'host.sshd': SshdEffectiveConfig;
  /** `apt list --upgradable` (after `apt-get update` only with --refresh-apt) */
  'host.apt-upgradable': AptUpgrades;
  /** `fail2ban-client status` and one `status <jail>` per jail */
  'host.fail2ban': Fail2banStatus;
  /** `.env` files in the project root: key names and classification, never values */
  'project.env': EnvScan;
  /** `predeploy.attest.yaml` in the project root */
  'project.attestations': Attestations;
}

export type FactId = keyof FactTypes;
export type { AptUpgrades, Fail2banStatus, ListeningSocket, SshdEffectiveConfig, UfwStatus } from './host.js';
export type { Attestation, Attestations, EnvFile, EnvKey, EnvScan } from './project.js';
