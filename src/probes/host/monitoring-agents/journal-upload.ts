/**
 * systemd-journal-upload: `[Upload] URL=` in `/etc/systemd/journal-upload.conf` and its `.conf.d`
 * drop-ins (later files win) — https://www.freedesktop.org/software/systemd/man/latest/journal-upload.conf.html
 */
import type { LogOutput } from '../../../facts/monitoring.js';
import { remoteHost, safeUrl } from './destination.js';

/** The `URL=` of one file, or undefined when it sets none. */
export function parseJournalUpload(text: string, file: string): LogOutput | undefined {
  let section = '';
  let found: LogOutput | undefined;
  text.split('\n').forEach((raw, i) => {
    const t = raw.replace(/\r$/, '').trim();
    if (t === '' || t.startsWith('#') || t.startsWith(';')) return;
    const header = /^\[(.+)\]$/.exec(t);
    if (header) {
      section = header[1] ?? '';
      return;
    }
    const kv = /^URL\s*=\s*(.*)$/.exec(t);
    if (section !== 'Upload' || !kv) return;
    const value = (kv[1] ?? '').trim();
    if (value === '') {
      found = undefined; // an empty assignment resets the setting
      return;
    }
    // A URL without a scheme is taken as https:// by systemd-journal-upload.
    const safe = safeUrl(/^[a-z]+:\/\//i.test(value) ? value : `https://${value}`);
    found = { type: 'journal-upload', destination: safe.display, remote: remoteHost(safe.host ?? value), file, line: i + 1 };
  });
  return found;
}
