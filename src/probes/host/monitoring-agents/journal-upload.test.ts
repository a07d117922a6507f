import { describe, expect, it } from 'vitest';
import { fixtureText } from '../../../../test/probes/fixture-dirs.js';
import { parseJournalUpload } from './journal-upload.js';

describe('parseJournalUpload', () => {
  it('the Debian 12 packaged file (real) sets no URL', () => {
    expect(parseJournalUpload(fixtureText('monitoring/journal-upload/debian12-default.journal-upload.conf'), '/etc/systemd/journal-upload.conf')).toBeUndefined();
  });

  it('a drop-in with URL= uploads off the host', () => {
    const file = '/etc/systemd/journal-upload.conf.d/10-collector.conf';
    expect(parseJournalUpload(fixtureText('monitoring/journal-upload/to-collector.conf'), file)).toEqual({
      type: 'journal-upload',
      destination: 'https://journal.example.net:19532',
      remote: true,
      file,
      line: 3,
    });
  });

  it('a URL without a scheme, a loopback URL, and an empty assignment that resets', () => {
    expect(parseJournalUpload('[Upload]\nURL=collector.example.net\n', 'f')?.destination).toBe('https://collector.example.net');
    expect(parseJournalUpload('[Upload]\nURL=http://127.0.0.1:19532\n', 'f')?.remote).toBe(false);
    expect(parseJournalUpload('[Upload]\nURL=https://x.example.net\nURL=\n', 'f')).toBeUndefined();
  });
});
