/**
 * Discovery outside a run (`config`, `init`): on this machine certbot gets a private scratch
 * folder for its work and log files; on a remote host (`--target ssh://…`) it gets none, so no
 * path of this machine's temp folder is handed to the host, where certbot would create it.
 */
import { describe, expect, it } from 'vitest';
import { withDiscovery } from '../../src/cli/discovery-session.js';
import { ORDER_PROCESSING_PROFILE } from '../../src/config/profile.js';
import { Redactor } from '../../src/safety/redactor.js';
import { CannedTarget } from '../helpers/canned-target.js';

const io = { stdout: () => undefined, stderr: () => undefined, env: {}, isRoot: true, onInterrupt: () => () => undefined };
const args = { root: '/nonexistent-root', offline: true, azureImds: false, timeoutMs: 5000 };

async function certbotArgv(o: { remote: boolean }): Promise<string[] | undefined> {
  const target = new CannedTarget({});
  const run = (a: typeof args & { target?: CannedTarget }, i: typeof io & { target?: CannedTarget }) =>
    withDiscovery(a, i, new Redactor(), () => undefined, (discover) => discover(structuredClone(ORDER_PROCESSING_PROFILE)));
  // the remote host comes in as args.target; this machine (in tests) as io.target
  await (o.remote ? run({ ...args, target }, io) : run(args, { ...io, target }));
  return target.calls.map((c) => (c[0] === 'sudo' ? c.slice(c.indexOf('--') + 1) : c)).find((c) => c[0] === 'certbot');
}

describe('withDiscovery: the scratch folder', () => {
  it('this machine: certbot writes into a private temp folder', async () => {
    expect(await certbotArgv({ remote: false })).toEqual(expect.arrayContaining(['--work-dir', expect.stringMatching(/predeploy-discovery-.*\/certbot-work$/)]));
  });
  it('a remote host: certbot gets no --work-dir or --logs-dir of this machine', async () => {
    const argv = await certbotArgv({ remote: true });
    expect(argv?.slice(0, 2)).toEqual(['certbot', 'certificates']);
    expect(argv).not.toContain('--work-dir');
    expect(argv).not.toContain('--logs-dir');
  });
});
