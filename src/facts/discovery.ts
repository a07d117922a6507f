/**
 * Fact shapes of discovery (src/probes/discovery): what the machine says about the deployment —
 * systemd units, the Azure Instance Metadata Service, the resources of the VM's resource group,
 * resource names in `.env` values. Names and ids only: never a secret value.
 */

/** One service unit as `systemctl show '*.service' -p Id,MainPID,WorkingDirectory,ExecStart,EnvironmentFiles,...` prints it. */
export interface SystemdUnitInfo {
  /** `workflow-api.service` */
  id: string;
  mainPid?: number;
  workingDirectory?: string;
  /** the paths and argv of each ExecStart= entry (`argv[]=` of systemd's `{ path=… ; argv[]=… }` form) */
  execStart: string[];
  /** EnvironmentFile= paths (without systemd's `(ignore_errors=…)` suffix) */
  environmentFiles: string[];
  activeState?: string;
  fragmentPath?: string;
  /** where the unit was described, for provenance: the unit file, else `systemctl show` */
  source: string;
}

/** What the Instance Metadata Service said (`GET /metadata/instance`), only what discovery uses. */
export interface ImdsInstance {
  subscriptionId: string;
  resourceGroupName: string;
  name: string;
  location: string;
  /** from `tagsList` (api-version ≥ 2019-06-04) or the `tags` string (`k:v;k2:v2`) */
  tags: Record<string, string>;
  resourceId?: string;
  /** the URL asked, for provenance */
  url: string;
}

/**
 * Whether this is an Azure VM, and what IMDS said when it is. `not-azure`: DMI's chassis asset tag
 * is not Azure's and nothing asked for IMDS — nothing was sent to 169.254.169.254.
 */
export type AzureInstanceDiscovery =
  | { status: 'not-azure'; detail: string }
  | { status: 'found'; instance: ImdsInstance; why: string }
  | { status: 'unreachable'; detail: string };

/** One resource of the VM's resource group (ARM resources list), with the tag that says dev or prod. */
export interface GroupResource {
  name: string;
  type: string;
  id: string;
  /** value of an `env` / `environment` tag (case-insensitive key), when there is one */
  envTag?: string;
}

/** The resources of the VM's resource group, or why they could not be listed. */
export type GroupResources =
  | { status: 'found'; resourceGroup: string; subscriptionId: string; resources: GroupResource[] }
  | { status: 'skipped'; detail: string }
  /** the listing failed; `role` when it was refused (HTTP 403): the role that would allow it */
  | { status: 'failed'; detail: string; role?: string };

/** The kinds of resource name a `.env` value can carry. */
export type EnvNameKind = 'keyVault' | 'storageAccount' | 'cosmosAccount' | 'botAppId' | 'botTenantId' | 'zohoOrgId';

/** A resource name read from a `.env` value (never the value itself when that is a secret). */
export interface EnvNameHint {
  kind: EnvNameKind;
  /** the name: vault name, account name, GUID, org id */
  value: string;
  /** the `.env` file, relative to the root */
  file: string;
  line: number;
  key: string;
  /** dev or prod, when the key name, the file name or the resource name says so */
  env?: 'dev' | 'prod';
  /** how the name was read: `vault URL`, `AccountName of a connection string`, ... */
  how: string;
}
