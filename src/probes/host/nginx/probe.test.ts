import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ORDER_PROCESSING_PROFILE } from '../../../config/profile.js';
import { fakeContext } from '../../../../test/helpers/fake-context.js';
import { collectNginx, nginxProbe } from './probe.js';

const fixture = (file: string): string => readFileSync(new URL(`../../../../test/fixtures/nginx/dumps/${file}`, import.meta.url), 'utf8');
const ARGV = 'nginx -T';

describe('host.nginx probe', () => {
  it('runs `nginx -T` with sudo and the C locale, and models the assessed domain (dev while prod is TBD)', async () => {
    const ctx = fakeContext({ exec: { [ARGV]: { stdout: fixture('vm-hardened.txt'), stderr: 'nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\n' } } });
    const r = await nginxProbe.collect(ctx);
    expect(ctx.calls).toEqual([['nginx', '-T']]);
    expect(ctx.sudoCalls).toEqual([true]);
    expect(r.ok && r.value.domain).toMatchObject({ name: 'processing.pippaoflondon.co.uk', source: 'dev' });
    expect(r.ok && r.value.domain.https[0]?.routes).toEqual([{ path: '/', location: 3 }, { path: '/health', location: 2 }]);
  });

  it('assesses domain.prod once it is decided', async () => {
    const config = { ...ORDER_PROCESSING_PROFILE, domain: { ...ORDER_PROCESSING_PROFILE.domain, prod: 'orders.pippaoflondon.co.uk' } };
    const r = await nginxProbe.collect(fakeContext({ config, exec: { [ARGV]: { stdout: fixture('vm-hardened.txt') } } }));
    expect(r.ok && r.value.domain).toMatchObject({ name: 'orders.pippaoflondon.co.uk', source: 'prod' });
    // no server names it: nginx would answer from the first server on each port
    expect(r.ok && r.value.domain.https.map((m) => m.matchedBy)).toEqual(['first']);
  });

  it('collectNginx(ctx, path) runs `nginx -T -c <path>`', async () => {
    const ctx = fakeContext({ exec: { 'nginx -T -c /srv/tricky/nginx.conf': { stdout: fixture('tricky-syntax.txt') } } });
    const r = await collectNginx(ctx, '/srv/tricky/nginx.conf');
    expect(ctx.calls).toEqual([['nginx', '-T', '-c', '/srv/tricky/nginx.conf']]);
    expect(r.ok).toBe(true);
  });

  it('an invalid configuration → failed, quoting the [emerg] line', async () => {
    const ctx = fakeContext({ exec: { [ARGV]: { exitCode: 1, stderr: fixture('invalid-directive-value.stderr.txt') } } });
    const r = await nginxProbe.collect(ctx);
    expect(r).toMatchObject({ ok: false, reason: 'failed' });
    expect(!r.ok && r.detail).toMatch(/^nginx \(exit 1\): \[emerg\] invalid value "of" in .*nginx\.conf:3$/);
  });

  it('run without root → permission, quoting the [emerg] line rather than the [warn] before it', async () => {
    const ctx = fakeContext({ exec: { [ARGV]: { exitCode: 1, stderr: fixture('not-root.stderr.txt') } } });
    expect(await nginxProbe.collect(ctx)).toEqual({
      ok: false,
      reason: 'permission',
      detail: 'nginx (exit 1): [emerg] open() "/run/nginx.pid" failed (13: Permission denied)',
      cause: { kind: 'permission', what: 'nginx' },
    });
  });

  it('a dump cut at the output cap → failed (never a partial model)', async () => {
    const ctx = fakeContext({ exec: { [ARGV]: { stdout: fixture('vm-hardened.txt') } } });
    const exec = ctx.exec.bind(ctx);
    ctx.exec = async (argv, req) => ({ ...(await exec(argv, req)), truncated: true });
    expect(await nginxProbe.collect(ctx)).toMatchObject({ ok: false, reason: 'failed', detail: expect.stringContaining('output cap') });
  });

  it('nginx not installed → not-installed; timeout → timeout', async () => {
    expect(await nginxProbe.collect(fakeContext())).toMatchObject({ ok: false, reason: 'not-installed', detail: expect.stringContaining('package nginx') });
    expect(await nginxProbe.collect(fakeContext({ exec: { [ARGV]: { timedOut: true, exitCode: null } } }))).toMatchObject({ ok: false, reason: 'timeout' });
  });
});
