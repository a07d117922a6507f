/**
 * Root causes of "could not look" (see {@link Cause}): how a failed probe's cause is derived
 * when the probe did not name one, and the key that groups unknowns with the same cause.
 */
import type { Cause, ProbeFailure, ProbeFailureReason } from './types.js';

/** The cause of a probe failure: the probe's own, else `probe <id> <reason>`. */
export function causeOf(probe: string, failure: Pick<ProbeFailure, 'reason' | 'cause'>): Cause {
  return failure.cause ?? { kind: 'probe', probe, reason: failure.reason };
}

/** A stable key: unknowns with equal keys share one root cause and one action. */
export function causeKey(c: Cause): string {
  switch (c.kind) {
    case 'no-credentials':
      return `no-credentials:${c.service}`;
    case 'not-installed':
      return `not-installed:${c.tool}`;
    case 'undecided':
      return `undecided:${c.key}`;
    case 'forbidden':
      return `forbidden:${c.service}:${c.role}`;
    case 'permission':
      return `permission:${c.what}`;
    case 'unreachable':
      return `unreachable:${c.endpoint}`;
    case 'throttled':
      return `throttled:${c.service}`;
    case 'probe':
      return `probe:${c.probe}:${c.reason}`;
    case 'check-error':
      return `check-error:${c.check}`;
    case 'sudo-password':
    case 'offline':
    case 'interrupted':
      return c.kind;
  }
}

/** The one action that removes a cause: a short title, what to do, and the exact command when there is one. */
export interface CauseAction {
  /** the cause in a few words: "no Azure credentials" */
  title: string;
  /** what removes it, one or two sentences */
  action: string;
  command?: string;
}

const SERVICE_NAME: Readonly<Record<string, string>> = {
  azure: 'Azure',
  zoho: 'Zoho',
  bot: 'the bot',
  graph: 'Microsoft Graph',
};

const serviceName = (s: string): string => SERVICE_NAME[s] ?? s;

/** What a failed probe's reason asks for, when the probe named no better cause. */
function probeAction(probe: string, reason: ProbeFailureReason): CauseAction {
  switch (reason) {
    case 'not-installed':
      return { title: `${probe}: its tool is not installed`, action: `install the tool ${probe} runs (see the commands log), or confirm this host does not use it, then re-run` };
    case 'permission':
      return { title: `${probe}: permission denied`, action: 'run as root, or grant this user read access to what the commands log shows was refused, then re-run' };
    case 'timeout':
      return { title: `${probe}: timed out`, action: 're-run with a longer --timeout; if it still hangs, run the command from the commands log by hand', command: 'predeploy assess --timeout 60s' };
    case 'no-credentials':
      return { title: `${probe}: no credentials`, action: `give the run the read-only credentials ${probe} names in its detail (environment or .env), then re-run` };
    case 'disabled':
      return { title: `${probe}: turned off`, action: `turn ${probe} back on in predeploy.yaml (or accept that it is not checked), then re-run` };
    case 'failed':
      return { title: `${probe}: failed`, action: `fix what the detail of ${probe} names (the commands log has the output), then re-run` };
  }
}

/** The one action that removes each kind of cause, with its exact command. */
export function causeAction(c: Cause): CauseAction {
  switch (c.kind) {
    case 'no-credentials':
      switch (c.service) {
        case 'azure':
        case 'graph':
          return {
            title: c.service === 'azure' ? 'no Azure credentials' : 'no Microsoft Graph credentials',
            action:
              'give the run a read-only Azure identity: sign in with `az login` as a user with Reader, or export AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET=<value> of a reader service principal for this run only, or run on a VM with a managed identity; then re-run',
            command: 'az login',
          };
        case 'zoho':
          return {
            title: 'no Zoho production credentials',
            action:
              'set zoho.prod.clientId.env, zoho.prod.clientSecret.env and zoho.prod.refreshToken.env in predeploy.yaml to variable names, and give their values to this run only, in the environment or a .env file listed in env.files (predeploy never reads Key Vault secret values)',
            command: 'ZOHO_PROD_CLIENT_ID=<value> ZOHO_PROD_CLIENT_SECRET=<value> ZOHO_PROD_REFRESH_TOKEN=<value> predeploy assess',
          };
        case 'bot':
          return {
            title: "no production bot app password",
            action:
              "set bot.prod.secret.env in predeploy.yaml to a variable name and give the bot's app password to this run only, in the environment or a .env file listed in env.files (predeploy never reads Key Vault secret values)",
            command: 'BOT_PROD_SECRET=<value> predeploy assess',
          };
      }
      break;
    case 'sudo-password':
      return {
        title: 'sudo needs a password',
        action: 'run predeploy as root, or add a NOPASSWD sudoers rule for the read-only commands the commands log shows were refused (sudo -n), then re-run',
        command: 'sudo predeploy assess',
      };
    case 'not-installed':
      return {
        title: `${c.tool} not installed`,
        action: `install ${c.package ?? c.tool} if this host should run it, or confirm the host does not use it`,
        command: `apt-get install ${c.package ?? c.tool}`,
      };
    case 'offline':
      return { title: 'network probes off (--offline)', action: 're-run without --offline' };
    case 'undecided':
      return { title: `${c.key} undecided (TBD)`, action: `decide it and set ${c.key} in predeploy.yaml, then re-run` };
    case 'forbidden':
      if (c.service === 'graph') {
        return {
          title: `Microsoft Graph permission ${c.role} missing`,
          action: `grant the run's identity the Microsoft Graph application permission ${c.role}, with admin consent, then re-run`,
          command: `az ad app permission admin-consent --id <app-id>`,
        };
      }
      return {
        title: `${serviceName(c.service)} role ${c.role} missing`,
        action: `assign the run's identity the role "${c.role}" on the production resource group (read-only), then re-run`,
        command: `az role assignment create --assignee <id> --role "${c.role}" --scope <scope>`,
      };
    case 'permission':
      return { title: `${c.what} not readable`, action: `run as root, or grant this user read access to ${c.what}, then re-run` };
    case 'unreachable':
      return {
        title: `${c.endpoint} not reachable`,
        action: `check DNS and the firewall from this machine to ${c.endpoint}; for a site not yet in DNS use --connect-to or set its endpoint in predeploy.yaml, then re-run`,
      };
    case 'throttled':
      return { title: `${serviceName(c.service)} throttled the run`, action: 're-run later, or raise --timeout so the run can wait out the rate limit', command: 'predeploy assess --timeout 120s' };
    case 'interrupted':
      return { title: 'the run was interrupted', action: 're-run to completion', command: 'predeploy assess' };
    case 'probe':
      return probeAction(c.probe, c.reason);
    case 'check-error':
      return {
        title: `check ${c.check} failed with an error`,
        action: 'a predeploy bug: re-run with PREDEPLOY_DEBUG=1 and report it with the commands log',
        command: 'PREDEPLOY_DEBUG=1 predeploy assess',
      };
  }
  return { title: 'unknown cause', action: 'see the detail in report.json' };
}
