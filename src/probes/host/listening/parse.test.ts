import { describe, expect, it } from 'vitest';
import type { ListeningSocket } from '../../../facts/host.js';
import { hostFixture } from '../../../../test/probes/fixture.js';
import { parseEndpoint, parseSsListening } from './parse.js';

function parsed(file: string): ListeningSocket[] {
  const r = parseSsListening(hostFixture(`ss/${file}`));
  if (!r.ok) throw new Error(r.detail);
  return r.value;
}
const brief = (s: ListeningSocket): string => `${s.proto} ${s.address}${s.scope ? `%${s.scope}` : ''} ${s.port} ${s.process ?? '-'}`;

describe('parseSsListening', () => {
  it('root-mixed-families.txt (ss -tlnp as root): IPv4, `*`, `[::1]`, `[::ffff:127.0.0.1]`, a socket without process', () => {
    expect(parsed('root-mixed-families.txt').map(brief)).toEqual([
      'tcp 127.0.0.1 34099 node',
      'tcp 0.0.0.0 3306 node',
      'tcp 0.0.0.0 2024 -',
      'tcp ::ffff:127.0.0.1 32891 node',
      'tcp ::1 36885 node',
      'tcp * 8080 node',
    ]);
    expect(parsed('root-mixed-families.txt')[0]).toMatchObject({ pid: 5786, processes: ['node'] });
  });

  it('not-root-no-process.txt: without root ss prints no Process column', () => {
    const sockets = parsed('not-root-no-process.txt');
    expect(sockets.map(brief)).toEqual(['tcp 127.0.0.1 33865 -', 'tcp 0.0.0.0 5432 -', 'tcp 0.0.0.0 2024 -']);
    expect(sockets[1]?.pid).toBeUndefined();
  });

  it('busy-host-tulpen.txt (jc, ss -tulpen): Netid column, extra uid/ino/sk columns, `%lo` scope', () => {
    const sockets = parsed('busy-host-tulpen.txt');
    const tcp = sockets.filter((s) => s.proto === 'tcp');
    expect(tcp).toHaveLength(58);
    expect(sockets.filter((s) => s.proto === 'udp')).toHaveLength(15);
    expect(tcp.find((s) => s.port === 3306)).toMatchObject({ address: '0.0.0.0', process: 'mysqld', pid: 2367 });
    expect(tcp.find((s) => s.port === 53 && s.scope === 'lo')).toMatchObject({ address: '127.0.0.53', process: 'systemd-resolve' });
  });

  it('mail-server-wide.txt (jc): specific-IP binds, several processes per socket, cgroup column', () => {
    const tcp = parsed('mail-server-wide.txt').filter((s) => s.proto === 'tcp');
    expect(tcp).toHaveLength(29);
    expect(tcp.find((s) => s.port === 587)).toMatchObject({ address: '0.0.0.0', process: 'master', processes: ['master', 'smtpd'] });
    expect(tcp.filter((s) => s.port === 443).map((s) => s.address)).toEqual(['1.2.1.43', '1.2.1.32', '1.2.1.31']);
    expect(tcp.find((s) => s.port === 6556)).toMatchObject({ address: '*', process: 'xinetd' });
  });

  it('service-names-all-sockets.txt (jc, ss -a): service names map to ports; non-listening sockets are skipped', () => {
    expect(parsed('service-names-all-sockets.txt').filter((s) => s.proto === 'tcp').map(brief)).toEqual([
      'tcp 127.0.0.1 25 -',
      'tcp * 22 -',
      'tcp ::1 25 -',
      'tcp :: 22 -',
    ]);
  });

  it('scoped-service-names.txt (jc, ss -a): `127.0.0.53%lo:domain`', () => {
    expect(parsed('scoped-service-names.txt').filter((s) => s.proto === 'tcp').map(brief)).toEqual([
      'tcp 127.0.0.53%lo 53 -',
      'tcp 0.0.0.0 22 -',
      'tcp 127.0.0.1 35485 -',
      'tcp :: 22 -',
    ]);
  });

  it.each([
    ['empty output (exit 0)', ''],
    ['blank lines only', '\n \n'],
    ['a data line without the header', 'LISTEN 0 128 0.0.0.0:22 0.0.0.0:*\n'],
    ['something else entirely', 'Usage: ss [ OPTIONS ]\n'],
  ])('%s is a failure, not "no listeners": ss always prints its header', (_name, text) => {
    expect(parseSsListening(text)).toMatchObject({ ok: false, reason: 'failed' });
  });

  it('the header alone is "no listeners"', () => {
    expect(parseSsListening('State Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n')).toEqual({ ok: true, value: [] });
  });

  it('an unknown service name fails the parse instead of dropping the socket', () => {
    const r = parseSsListening('State Recv-Q Send-Q Local Address:Port Peer Address:Port\nLISTEN 0 128 0.0.0.0:gopher 0.0.0.0:*\n');
    expect(r).toMatchObject({ ok: false, reason: 'failed' });
  });
});

describe('parseEndpoint', () => {
  it.each([
    ['0.0.0.0:22', { address: '0.0.0.0', port: 22 }],
    ['*:80', { address: '*', port: 80 }],
    ['[::]:22', { address: '::', port: 22 }],
    ['[::ffff:127.0.0.1]:8080', { address: '::ffff:127.0.0.1', port: 8080 }],
    ['127.0.0.53%lo:53', { address: '127.0.0.53', scope: 'lo', port: 53 }],
    ['[fe80::1]%eth0:22', { address: 'fe80::1', scope: 'eth0', port: 22 }],
    ['[::]:https', { address: '::', port: 443 }],
  ])('%s', (text, expected) => {
    expect(parseEndpoint(text)).toEqual(expected);
  });
});
