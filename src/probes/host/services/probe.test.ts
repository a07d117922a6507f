import { describe, expect, it } from 'vitest';
import { fakeContext } from '../../../../test/helpers/fake-context.js';
import { testFixture } from '../../../../test/probes/fixture.js';
import { servicesProbe, systemctlShowArgv } from './probe.js';

const P = 'LoadState,ActiveState,SubState,UnitFileState,Restart,RestartUSec,NRestarts,ExecMainStartTimestamp,FragmentPath';
const key = (unit: string) => `systemctl show ${unit} -p ${P} --no-pager`;
const show = (file: string) => ({ stdout: testFixture(`systemd/show-${file}.txt`) });

describe('host.services probe', () => {
  it('asks systemctl show for each configured service, without sudo', async () => {
    const ctx = fakeContext({
      exec: {
        [key('workflow-api')]: show('workflow-api-healthy'),
        [key('workflow-worker')]: show('workflow-worker-flapping'),
        [key('teams-bot')]: show('teams-bot-failed-restart-no'),
      },
    });
    const r = await servicesProbe.collect(ctx);
    expect(ctx.calls).toEqual(['workflow-api', 'workflow-worker', 'teams-bot'].map(systemctlShowArgv));
    expect(ctx.calls[0]).toEqual(['systemctl', 'show', 'workflow-api', '-p', P, '--no-pager']);
    expect(ctx.sudoCalls).toEqual([false, false, false]);
    expect(r.ok && r.value.units.map((u) => `${u.name} ${String(u.activeState)}`)).toEqual(['workflow-api active', 'workflow-worker activating', 'teams-bot failed']);
  });

  it('no systemd (captured in this container) → failed, detail "no systemd: ..."', async () => {
    const stderr = testFixture('systemd/no-systemd.stderr.txt');
    const ctx = fakeContext({ exec: Object.fromEntries(['workflow-api', 'workflow-worker', 'teams-bot'].map((u) => [key(u), { exitCode: 1, stderr }])) });
    expect(await servicesProbe.collect(ctx)).toEqual({
      ok: false,
      reason: 'failed',
      detail: "no systemd: System has not been booted with systemd as init system (PID 1). Can't operate.",
    });
  });

  it('in a chroot systemctl prints nothing and exits 0 → no systemd', async () => {
    const ctx = fakeContext({ exec: Object.fromEntries(['workflow-api', 'workflow-worker', 'teams-bot'].map((u) => [key(u), { stderr: "Running in chroot, ignoring command 'show'\n" }])) });
    expect(await servicesProbe.collect(ctx)).toMatchObject({ ok: false, reason: 'failed', detail: "no systemd: Running in chroot, ignoring command 'show'" });
  });

  it('systemctl missing → not-installed', async () => {
    expect(await servicesProbe.collect(fakeContext())).toMatchObject({ ok: false, reason: 'not-installed', detail: 'systemctl not found (install the Debian/Ubuntu package systemd)' });
  });

  it('one unit failing to answer keeps the others, with its reason', async () => {
    const ctx = fakeContext({
      exec: {
        [key('workflow-api')]: show('workflow-api-healthy'),
        [key('workflow-worker')]: show('workflow-api-healthy'),
        [key('teams-bot')]: { exitCode: 1, stderr: 'Failed to parse bus message: Invalid argument\n' },
      },
    });
    const r = await servicesProbe.collect(ctx);
    expect(r.ok && r.value.units[2]).toEqual({ name: 'teams-bot', detail: 'systemctl (exit 1): Failed to parse bus message: Invalid argument' });
  });
});
