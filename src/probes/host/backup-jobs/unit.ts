/**
 * The parts of a systemd service unit a backup job shows: what it runs (`ExecStart=`, possibly
 * several, with `-`/`@`/`+`/`!` prefixes) and where its output goes (`StandardOutput=append:/path`
 * or `file:/path`) — https://www.freedesktop.org/software/systemd/man/latest/systemd.exec.html#StandardOutput=
 */

export interface ServiceUnit {
  execStart: string[];
  /** files StandardOutput= / StandardError= write to */
  logFiles: string[];
}

/** Parse a `.service` file; line continuations (`\` at the end of a line) are joined. */
export function parseServiceUnit(text: string): ServiceUnit {
  const unit: ServiceUnit = { execStart: [], logFiles: [] };
  const joined = text.replace(/\r\n/g, '\n').replace(/\\\n/g, ' ');
  let section = '';
  for (const raw of joined.split('\n')) {
    const t = raw.trim();
    if (t === '' || t.startsWith('#') || t.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(t);
    if (header) {
      section = header[1] ?? '';
      continue;
    }
    if (section !== 'Service') continue;
    const kv = /^([A-Za-z]+)\s*=\s*(.*)$/.exec(t);
    if (!kv) continue;
    const [, key, value = ''] = kv;
    if (key === 'ExecStart' || key === 'ExecStartPre' || key === 'ExecStartPost') {
      if (value === '') unit.execStart = []; // an empty assignment resets the list
      else unit.execStart.push(value.replace(/^[-@+!:]+/, ''));
    } else if (key === 'StandardOutput' || key === 'StandardError') {
      const file = /^(?:append|file|truncate):(\/\S+)$/.exec(value)?.[1];
      if (file && !unit.logFiles.includes(file)) unit.logFiles.push(file);
    }
  }
  return unit;
}
