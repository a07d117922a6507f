/**
 * A minimal ustar writer and reader (POSIX.1-1988) with gzip from node:zlib: enough for a
 * bundle of small regular files, and readable by GNU tar (`tar -xzf bundle.tar.gz`). No
 * dependency; names up to 100 bytes plus a 155-byte prefix, regular files only.
 */
import { gunzipSync, gzipSync } from 'node:zlib';

const BLOCK = 512;

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

function header(name: string, size: number, mtime: number): Buffer {
  const h = Buffer.alloc(BLOCK, 0);
  let prefix = '';
  let base = name;
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', 155);
    if (cut <= 0 || Buffer.byteLength(name.slice(cut + 1)) > 100) throw new Error(`tar: name too long: ${name}`);
    prefix = name.slice(0, cut);
    base = name.slice(cut + 1);
  }
  h.write(base, 0, 100, 'utf8');
  h.write(octal(0o644, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(Math.floor(mtime / 1000), 12), 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write('0', 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii');
  return h;
}

/** A `.tar.gz` of the files (in the order given), every file dated `mtime`. */
export function writeTarGz(files: ReadonlyMap<string, string | Buffer>, mtime: number): Buffer {
  const parts: Buffer[] = [];
  for (const [name, content] of files) {
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    parts.push(header(name, data.length, mtime), data);
    const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
    if (pad > 0) parts.push(Buffer.alloc(pad, 0));
  }
  parts.push(Buffer.alloc(BLOCK * 2, 0));
  return gzipSync(Buffer.concat(parts));
}

const cstr = (b: Buffer): string => {
  const end = b.indexOf(0);
  return b.subarray(0, end < 0 ? b.length : end).toString('utf8');
};

/** The regular files of a `.tar.gz`; throws on a malformed archive. Directories are skipped. */
export function readTarGz(gz: Buffer): Map<string, Buffer> {
  const tar = gunzipSync(gz);
  const out = new Map<string, Buffer>();
  let off = 0;
  while (off + BLOCK <= tar.length) {
    const h = tar.subarray(off, off + BLOCK);
    if (h.every((b) => b === 0)) break;
    const stored = parseInt(cstr(h.subarray(148, 156)).trim() || '0', 8);
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : (h[i] ?? 0);
    if (sum !== stored) throw new Error(`tar: bad header checksum at offset ${off}`);
    const name = cstr(h.subarray(0, 100));
    const prefix = h.subarray(257, 262).toString('ascii') === 'ustar' ? cstr(h.subarray(345, 500)) : '';
    const size = parseInt(cstr(h.subarray(124, 136)).trim() || '0', 8);
    const type = String.fromCharCode(h[156] ?? 0);
    off += BLOCK;
    if (off + size > tar.length) throw new Error('tar: truncated archive');
    if (type === '0' || type === '\0') out.set((prefix !== '' ? `${prefix}/${name}` : name).replace(/^\.\//, ''), Buffer.from(tar.subarray(off, off + size)));
    off += Math.ceil(size / BLOCK) * BLOCK;
  }
  return out;
}
