/**
 * From an inventory host to what predeploy needs to assess it: how to connect (ansible_host,
 * ansible_port, ansible_user, ansible_ssh_private_key_file, ansible_ssh_common_args /
 * ansible_ssh_extra_args, ansible_connection) and predeploy's own settings (`predeploy_*`).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { checkSshOptions, splitArgs } from '../targets/ssh.js';
import { applyLimit } from './limit.js';
import { hostGroups, hostVars, InventoryError, parseInventory, type Inventory } from './parse.js';

/** One host of a fleet run. */
export interface FleetHost {
  /** the inventory name (folder name, log target) */
  name: string;
  connection: 'ssh' | 'local';
  address: string;
  port?: number;
  user?: string;
  identityFile?: string;
  /** checked pass-through ssh arguments */
  sshArgs: string[];
  /** predeploy_root: the project root on the host */
  root?: string;
  /** predeploy_config: a local predeploy.yaml for this host */
  config?: string;
  /** predeploy_only / predeploy_skip */
  only?: string[];
  skip?: string[];
  /** the inventory groups the host is in (for the fleet report) */
  groups: string[];
}

/** The `predeploy_*` variables predeploy reads; any other one is a typo and refused. */
export const PREDEPLOY_VARS = ['predeploy_root', 'predeploy_config', 'predeploy_only', 'predeploy_skip'] as const;

const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));
const list = (v: unknown): string[] | undefined =>
  v === undefined || v === null ? undefined : (Array.isArray(v) ? v.map(String) : String(v).split(',')).map((s) => s.trim()).filter((s) => s !== '');

/** The connection and settings of one inventory host. */
export function fleetHost(inv: Inventory, name: string): FleetHost {
  const v = hostVars(inv, name);
  const at = `${inv.file}:${inv.where.get(name) ?? 1}`;
  for (const key of Object.keys(v)) {
    if (key.startsWith('predeploy_') && !(PREDEPLOY_VARS as readonly string[]).includes(key)) {
      throw new InventoryError(`${at}: host ${name}: unknown setting ${key} (predeploy reads ${PREDEPLOY_VARS.join(', ')})`);
    }
  }
  const conn = str(v.ansible_connection) ?? 'ssh';
  if (!['ssh', 'smart', 'paramiko', 'local'].includes(conn)) throw new InventoryError(`${at}: host ${name}: ansible_connection=${conn} is not supported (ssh or local)`);
  const portText = str(v.ansible_port) ?? str(v.ansible_ssh_port);
  let port: number | undefined;
  if (portText !== undefined) {
    port = Number(portText);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new InventoryError(`${at}: host ${name}: invalid ansible_port "${portText}"`);
  }
  const args = [...splitArgs(str(v.ansible_ssh_common_args) ?? ''), ...splitArgs(str(v.ansible_ssh_extra_args) ?? '')];
  const checked = checkSshOptions(args);
  if (!checked.ok) throw new InventoryError(`${at}: host ${name}: ansible_ssh_common_args: ${checked.error}`);
  const address = str(v.ansible_host) ?? str(v.ansible_ssh_host) ?? name;
  if (address.startsWith('-') || /[\s'"\\]/.test(address)) throw new InventoryError(`${at}: host ${name}: invalid ansible_host "${address.slice(0, 60)}"`);
  const user = str(v.ansible_user) ?? str(v.ansible_ssh_user);
  if (user !== undefined && (user.startsWith('-') || /[\s@'"\\]/.test(user))) throw new InventoryError(`${at}: host ${name}: invalid ansible_user "${user.slice(0, 40)}"`);
  const key = str(v.ansible_ssh_private_key_file) ?? str(v.ansible_private_key_file);
  const root = str(v.predeploy_root);
  const config = str(v.predeploy_config);
  const only = list(v.predeploy_only);
  const skip = list(v.predeploy_skip);
  return {
    name,
    connection: conn === 'local' ? 'local' : 'ssh',
    address,
    ...(port !== undefined ? { port } : {}),
    ...(user !== undefined ? { user } : {}),
    ...(key !== undefined ? { identityFile: key } : {}),
    sshArgs: checked.args,
    ...(root !== undefined ? { root } : {}),
    ...(config !== undefined ? { config: resolve(config) } : {}),
    ...(only !== undefined ? { only } : {}),
    ...(skip !== undefined ? { skip } : {}),
    groups: [],
  };
}

/** Reads an inventory file and returns the hosts `--limit` selects. */
export async function loadInventoryHosts(file: string, limit: string | undefined): Promise<FleetHost[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = e instanceof Error && 'code' in e ? String(e.code) : 'error';
    throw new InventoryError(`${file}: cannot read the inventory (${code})`);
  }
  const inv = await parseInventory(text, file);
  const names = applyLimit(inv, limit);
  if (names.length === 0) throw new InventoryError(`${file}: no hosts${limit !== undefined ? ` match --limit "${limit}"` : ''}`);
  return names.map((n) => ({ ...fleetHost(inv, n), groups: hostGroups(inv, n).map((g) => g.name).filter((g) => g !== 'all').sort() }));
}
