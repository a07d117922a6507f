import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testFixture, testFixturePath } from '../../../../test/probes/fixture.js';
import { parseSystemctlShow } from './parse.js';

const show = (name: string, file: string) => parseSystemctlShow(name, testFixture(`systemd/show-${file}.txt`));

describe('parseSystemctlShow (hand-written from the documented Key=Value format, see test/fixtures/systemd/SOURCES.md)', () => {
  it('show-workflow-api-healthy.txt', () => {
    expect(show('workflow-api', 'workflow-api-healthy')).toEqual({
      ok: true,
      value: {
        name: 'workflow-api',
        loadState: 'loaded',
        activeState: 'active',
        subState: 'running',
        unitFileState: 'enabled',
        restart: 'on-failure',
        restartUSec: '5s',
        nRestarts: 0,
        execMainStartTimestamp: 'Tue 2026-11-24 09:12:01 UTC',
        fragmentPath: '/etc/systemd/system/workflow-api.service',
      },
    });
  });

  it('show-firewalld-not-found.txt: empty values and n/a read as "not set"', () => {
    expect(show('teams-bot', 'firewalld-not-found')).toEqual({
      ok: true,
      value: { name: 'teams-bot', loadState: 'not-found', activeState: 'inactive', subState: 'dead', restart: 'no', restartUSec: '100ms', nRestarts: 0 },
    });
  });

  it('show-workflow-worker-flapping.txt', () => {
    expect(show('workflow-worker', 'workflow-worker-flapping')).toMatchObject({ ok: true, value: { activeState: 'activating', subState: 'auto-restart', nRestarts: 17, restart: 'always' } });
  });

  it('output without LoadState= (what systemctl prints without systemd) fails the parse', () => {
    expect(parseSystemctlShow('x', testFixture('systemd/no-systemd.stderr.txt'))).toEqual({
      ok: false,
      reason: 'failed',
      detail: "no LoadState= line in systemctl show x output: System has not been booted with systemd as init system (PID 1). Can't operate.",
    });
  });

  /**
   * The hand-written `show` files for ssh, docker and firewalld carry the states those units have in
   * the captured `systemctl -a` and `systemctl list-unit-files` of the jc Ubuntu 18.04 host.
   */
  it.each([
    ['ssh', 'ssh-active-enabled'],
    ['docker', 'docker-inactive-disabled'],
    ['firewalld', 'firewalld-not-found'],
  ])('show-%s agrees with the captured listings of %s.service', (name, file) => {
    const units = readFileSync(testFixturePath('systemd/ubuntu-18.04-list-units-all.txt'), 'utf8');
    const files = readFileSync(testFixturePath('systemd/ubuntu-18.04-list-unit-files.txt'), 'utf8');
    const row = units.split('\n').find((l) => new RegExp(`^(?:\\s|●)*${name}\\.service\\s`).test(l));
    const [load, active, sub] = (row ?? '').replace(/^(?:\s|●)*\S+\s+/, '').split(/\s+/);
    const fileState = files.split('\n').find((l) => l.startsWith(`${name}.service `))?.split(/\s+/)[1];
    const r = show(name, file);
    expect(r.ok && [r.value.loadState, r.value.activeState, r.value.subState]).toEqual([load, active, sub]);
    expect(r.ok && r.value.unitFileState).toBe(fileState);
  });
});
