import { describe, expect, it } from 'vitest';
import { fixtureText } from '../../../../test/probes/fixture-dirs.js';
import { parsePromtail } from './promtail.js';

const FILE = '/etc/promtail/config.yml';

describe('parsePromtail', () => {
  it('clients: a remote push URL without its user info, and a localhost Loki; passwords only in secrets', () => {
    const r = parsePromtail(fixtureText('monitoring/promtail/config.yml'), FILE);
    expect(r.outputs).toEqual([
      { type: 'loki', destination: 'https://logs-prod.example.net/loki/api/v1/push', remote: true, file: FILE, line: 10 },
      { type: 'loki', destination: 'http://localhost:3100/loki/api/v1/push', remote: false, file: FILE, line: 11 },
    ]);
    expect(r.secrets).toEqual(['FAKE-promtail-password', 'FAKE-promtail-basic-password']);
    expect(JSON.stringify(r.outputs)).not.toContain('FAKE');
  });

  it('the packaged default pushes to localhost only', () => {
    expect(parsePromtail(fixtureText('monitoring/promtail/packaged-default.yml'), FILE).outputs.map((o) => o.remote)).toEqual([false]);
  });

  it('the single `client:` form, an env-expanded URL (remote), and a client without url', () => {
    expect(parsePromtail('client:\n  url: ${LOKI_URL}\n', FILE).outputs).toEqual([{ type: 'loki', destination: '${LOKI_URL}', remote: true, file: FILE, line: 2 }]);
    expect(parsePromtail('clients:\n  - tenant_id: x\n', FILE).problems).toEqual([`${FILE}:2: client without url`]);
  });
});
