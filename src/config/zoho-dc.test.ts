import { describe, expect, it } from 'vitest';
import { ZOHO_DATA_CENTRES } from './schema.js';
import { dataCenterOfAccounts, dataCenterOfApiDomain, withoutCredentials, ZOHO_API_BASE, ZOHO_DC, zohoEndpoints } from './zoho-dc.js';

describe('Zoho data centres', () => {
  it('covers every data centre the config accepts', () => {
    expect(Object.keys(ZOHO_DC).sort()).toEqual([...ZOHO_DATA_CENTRES].sort());
  });

  it.each([
    ['com', 'https://accounts.zoho.com', 'https://www.zohoapis.com'],
    ['eu', 'https://accounts.zoho.eu', 'https://www.zohoapis.eu'],
    ['in', 'https://accounts.zoho.in', 'https://www.zohoapis.in'],
    ['com.au', 'https://accounts.zoho.com.au', 'https://www.zohoapis.com.au'],
    ['jp', 'https://accounts.zoho.jp', 'https://www.zohoapis.jp'],
    ['ca', 'https://accounts.zohocloud.ca', 'https://www.zohoapis.ca'],
    ['sa', 'https://accounts.zoho.sa', 'https://www.zohoapis.sa'],
    ['uk', 'https://accounts.zoho.uk', 'https://www.zohoapis.uk'],
  ] as const)('%s → %s, %s', (dc, accounts, api) => {
    expect(zohoEndpoints({ dataCenter: dc })).toEqual({ accountsUrl: accounts, apiUrl: api, accountsOverridden: false, apiOverridden: false });
    expect(dataCenterOfApiDomain(api)).toBe(dc);
    expect(dataCenterOfAccounts(accounts)).toBe(dc);
  });

  it('only the UK API domain is inferred rather than documented', () => {
    expect(Object.entries(ZOHO_DC).filter(([, e]) => !e.documented).map(([dc]) => dc)).toEqual(['uk']);
  });

  it('overrides win and lose their trailing slash', () => {
    expect(zohoEndpoints({ dataCenter: 'eu', accountsUrl: 'http://127.0.0.1:8080/', apiUrl: 'http://127.0.0.1:8081' })).toEqual({
      accountsUrl: 'http://127.0.0.1:8080',
      apiUrl: 'http://127.0.0.1:8081',
      accountsOverridden: true,
      apiOverridden: true,
    });
  });

  it.each(['http://www.zohoapis.com', 'https://zohoapis.evil.example', 'not a url', 'https://www.zohoapis.com.cn'])('%s is not a known API domain', (u) => {
    expect(dataCenterOfApiDomain(u)).toBeUndefined();
  });

  it('product base paths', () => {
    expect(ZOHO_API_BASE).toEqual({ books: '/books/v3', inventory: '/inventory/v1' });
  });

  it('drops credentials from a URL before it is shown', () => {
    expect(withoutCredentials('http://proxy:s3cret@127.0.0.1:8080/')).toBe('http://127.0.0.1:8080');
    expect(withoutCredentials('https://accounts.zoho.eu')).toBe('https://accounts.zoho.eu');
  });
});
