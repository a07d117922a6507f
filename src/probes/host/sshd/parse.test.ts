import { describe, expect, it } from 'vitest';
import type { SshdEffectiveConfig } from '../../../facts/host.js';
import { hostFixture } from '../../../../test/probes/fixture.js';
import { parseSshdT } from './parse.js';

function parsed(file: string): SshdEffectiveConfig['options'] {
  const r = parseSshdT(hostFixture(`sshd/${file}`));
  if (!r.ok) throw new Error(r.detail);
  return r.value.options;
}

describe('parseSshdT', () => {
  it('debian12-default.txt (sshd -T on this Debian 12 container, stock config)', () => {
    const o = parsed('debian12-default.txt');
    expect(o['permitrootlogin']).toEqual(['without-password']);
    expect(o['passwordauthentication']).toEqual(['yes']);
    expect(o['kbdinteractiveauthentication']).toEqual(['no']);
    expect(o['usepam']).toEqual(['yes']);
    expect(o['maxauthtries']).toEqual(['6']);
    expect(o['listenaddress']).toEqual(['[::]:22', '0.0.0.0:22']);
    expect(o['subsystem']).toEqual(['sftp /usr/lib/openssh/sftp-server']);
  });

  it('root-login-yes.txt (jc sample, OpenSSH 7.x): repeated keywords keep every line', () => {
    const o = parsed('root-login-yes.txt');
    expect(o['permitrootlogin']).toEqual(['yes']);
    expect(o['challengeresponseauthentication']).toEqual(['no']);
    expect(o['hostkey']).toHaveLength(3);
    expect(o['acceptenv']?.[0]).toBe('LANG');
    expect(o['acceptenv']).toHaveLength(16);
  });

  it('without-password-hand-edited.txt (jc sample, sorted): values with spaces stay whole', () => {
    const o = parsed('without-password-hand-edited.txt');
    expect(o['permitrootlogin']).toEqual(['without-password']);
    expect(o['acceptenv']).toEqual(['LANG', 'LC_*', 'test1 test2']);
  });

  it('missing-privsep-dir.stderr.txt: sshd error text is not a configuration', () => {
    expect(parseSshdT(hostFixture('sshd/missing-privsep-dir.stderr.txt'))).toMatchObject({ ok: false, reason: 'failed' });
  });

  it('empty output fails the parse', () => {
    expect(parseSshdT('\n')).toEqual({ ok: false, reason: 'failed', detail: 'sshd -T printed no configuration' });
  });
});
