import http from 'node:http';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from './loopback-only.js';

describe('the loopback-only guard of the test workers', () => {
  it.each([
    ['127.0.0.1', true], ['127.1.2.3', true], ['::1', true], ['[::1]', true], ['localhost', true],
    ['169.254.169.254', false], ['10.0.0.1', false], ['8.8.8.8', false], ['example.com', false], ['::ffff:10.0.0.1', false],
  ])('%s is loopback: %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });

  it('refuses a DNS lookup of a public name before anything is sent', async () => {
    const err = await new Promise<Error>((resolve) => {
      http.get('http://example.com/', () => resolve(new Error('connected'))).on('error', resolve);
    });
    expect(err.message).toMatch(/blocked in tests: DNS lookup of example.com/);
  });

  it('refuses a connection to an IP literal off loopback (the instance metadata address)', async () => {
    const err = await new Promise<Error>((resolve) => {
      net.connect({ host: '169.254.169.254', port: 80 }, () => resolve(new Error('connected'))).on('error', resolve);
    });
    expect(err.message).toMatch(/blocked in tests: a connection to 169.254.169.254/);
  });

  it('lets loopback through', async () => {
    const server = net.createServer((s) => s.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    const got = await new Promise<string>((resolve, reject) => {
      const c = net.connect({ host: '127.0.0.1', port }, () => undefined);
      c.on('data', (d) => resolve(d.toString())).on('error', reject);
    });
    server.close();
    expect(got).toBe('ok');
  });
});
