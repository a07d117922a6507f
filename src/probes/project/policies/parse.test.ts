import { describe, expect, it } from 'vitest';
import { parseRotationPolicy, periodsIn } from './parse.js';

describe('rotation policy recognised by content', () => {
  it('a policy with a period and the secrets it covers', () => {
    const text = '# Ops\n\n## Secrets\nRotate the Zoho refresh token and the bot app secret every 90 days.\nStorage account keys are rotated quarterly.\n';
    expect(parseRotationPolicy('docs/ops.md', text)).toEqual({ path: 'docs/ops.md', line: 4, periodDays: 90, periodText: 'every 90 days', secrets: ['Zoho', 'refresh token', 'bot app secret', 'client secret', 'storage key'] });
  });

  it('the shortest period near a rotation line wins', () => {
    expect(parseRotationPolicy('SECURITY.md', 'Key Vault secrets: rotation monthly,\nand certificates annually.\n')).toMatchObject({ periodDays: 30, periodText: 'monthly' });
  });

  it('no period stated', () => {
    expect(parseRotationPolicy('SECURITY.md', 'We rotate the Zoho client secret when someone leaves.\n')).toEqual({ path: 'SECURITY.md', line: 1, secrets: ['Zoho', 'client secret'] });
  });

  it.each([
    ['log rotation is not a secret policy', 'logrotate keeps 14 days of logs; log rotation runs daily.\n'],
    ['no rotation at all', 'The Zoho client secret lives in Key Vault.\n'],
    ['rotation of something else', 'Rotate the device 90 degrees to landscape every 2 days.\n'],
  ])('%s', (_n, text) => {
    expect(parseRotationPolicy('README.md', text)).toBeUndefined();
  });

  it.each([
    ['every 90 days', 90],
    ['a 30-day rotation', 30],
    ['every 6 months', 180],
    ['every quarter', 91],
    ['annually', 365],
    ['twice a year', 182],
    ['every 2 weeks', 14],
  ])('%s → %i days', (line, days) => {
    expect(periodsIn(line).map((p) => p.days)).toContain(days);
  });
});
