/**
 * Probe progress on stderr (stdout stays clean for the paste-back).
 *
 * - `tty`: a live region redrawn in place — one line per running probe with a spinner and its
 *   elapsed time, and a tally line — while each finished probe leaves one permanent line above
 *   it (`✓ host.ufw 120 ms`, `✗ host.fail2ban failed (permission) 30 ms`). Colour unless
 *   NO_COLOR is set (https://no-color.org); cursor movement is not colour and stays.
 * - `plain`: when stderr is not a terminal, or `CI` is set, or TERM=dumb — one line per
 *   finished probe (`probe host.ufw done 120 ms`), nothing redrawn, no escape codes.
 * - `off`: `--quiet`.
 */
import type { ProbeEvent } from '../engine/run.js';

export type ProgressMode = 'tty' | 'plain' | 'off';

export interface ProgressOptions {
  mode: ProgressMode;
  /** SGR colours (tty mode only) */
  color: boolean;
  write(text: string): void;
  /** terminal width: live lines are cut to it, so a wrapped line never breaks the redraw */
  columns?: number;
  /** milliseconds clock (injectable for tests) */
  now?: () => number;
  /** redraw the live region this often (spinner, elapsed time); 0 = only on events */
  tickMs?: number;
}

export interface Progress {
  onProbe(event: ProbeEvent): void;
  /** a message line: above the live region on a terminal (so the redraw stays in step), else as is */
  note(line: string): void;
  /** clear the live region and print the final tally line */
  stop(): void;
}

/** Which mode the environment asks for (see the module comment). */
export function progressMode(o: { quiet: boolean; isTTY: boolean; env: Readonly<Record<string, string | undefined>> }): { mode: ProgressMode; color: boolean } {
  if (o.quiet) return { mode: 'off', color: false };
  const ci = o.env.CI !== undefined && o.env.CI !== '' && o.env.CI !== 'false' && o.env.CI !== '0';
  if (!o.isTTY || ci || o.env.TERM === 'dumb') return { mode: 'plain', color: false };
  const noColor = o.env.NO_COLOR !== undefined && o.env.NO_COLOR !== '';
  return { mode: 'tty', color: !noColor };
}

const SPINNER = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';
const ESC = '\u001b[';

const fmtMs = (ms: number): string => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);

export function createProgress(o: ProgressOptions): Progress {
  const now = o.now ?? (() => performance.now());
  const started = now();
  const running = new Map<string, number>();
  let done = 0;
  let failed = 0;
  /** probes not run on purpose (`disabled`: --offline) are neither done nor failed */
  let skipped = 0;
  let drawn = 0;
  let stopped = false;
  const paint = (code: string, s: string): string => (o.color ? `${ESC}${code}m${s}${ESC}0m` : s);
  /** Cut a line to the terminal width, counting visible characters only (SGR codes are kept). */
  const cut = (s: string): string => {
    const max = Math.max(20, (o.columns ?? 80) - 1);
    // eslint-disable-next-line no-control-regex
    const tokens = s.match(/\u001b\[[0-9;]*m|[^\u001b]/gu) ?? [];
    const isCode = (t: string): boolean => t.length > 1 && t.startsWith('\u001b');
    if (tokens.filter((t) => !isCode(t)).length <= max) return s;
    let out = '';
    let visible = 0;
    for (const t of tokens) {
      if (isCode(t)) out += t;
      else if (visible < max - 1) {
        out += t;
        visible += 1;
      }
    }
    return `${out}…${o.color ? `${ESC}0m` : ''}`;
  };

  const liveLines = (): string[] => {
    const t = now();
    const frame = SPINNER[Math.floor(t / 100) % SPINNER.length] ?? '*';
    const lines = [...running.entries()].map(([id, since]) => cut(`  ${paint('36', frame)} ${id} ${paint('2', `running ${fmtMs(t - since)}`)}`));
    lines.push(cut(`  probes: ${running.size} running, ${done} done${failed > 0 ? `, ${paint('31', `${failed} failed`)}` : ''}`));
    return lines;
  };

  /** Rewrite the live region, with `permanent` lines printed above it. */
  const redraw = (permanent: string[] = []) => {
    if (stopped) return;
    let out = drawn > 0 ? `\r${ESC}${drawn}A${ESC}J` : '';
    for (const p of permanent) out += `${cut(p)}\n`;
    const live = liveLines();
    out += live.map((l) => `${l}\n`).join('');
    drawn = live.length;
    o.write(out);
  };

  const timer = o.mode === 'tty' && (o.tickMs ?? 0) > 0 ? setInterval(() => redraw(), o.tickMs) : undefined;
  timer?.unref();

  return {
    onProbe(e) {
      if (stopped || o.mode === 'off') return;
      if (e.phase === 'start') {
        running.set(e.id, now());
        if (o.mode === 'tty') redraw();
        return;
      }
      running.delete(e.id);
      const ms = fmtMs(e.durationMs ?? 0);
      if (e.ok === false && e.reason === 'disabled') {
        skipped += 1;
        if (o.mode === 'plain') o.write(`probe ${e.id} skipped (disabled)\n`);
        else redraw([`  ${paint('2', `- ${e.id} skipped (disabled)`)}`]);
        return;
      }
      done += 1;
      if (e.ok === false) failed += 1;
      if (o.mode === 'plain') {
        o.write(e.ok === false ? `probe ${e.id} failed (${e.reason ?? 'failed'}) ${ms}\n` : `probe ${e.id} done ${ms}\n`);
        return;
      }
      redraw([e.ok === false ? `  ${paint('31', '✗')} ${e.id} ${paint('31', `failed (${e.reason ?? 'failed'})`)} ${paint('2', ms)}` : `  ${paint('32', '✓')} ${e.id} ${paint('2', ms)}`]);
    },
    note(line) {
      if (o.mode === 'tty' && !stopped) redraw([line]);
      else o.write(`${line}\n`);
    },
    stop() {
      if (stopped) return;
      if (timer !== undefined) clearInterval(timer);
      if (o.mode === 'off') {
        stopped = true;
        return;
      }
      const tally = `probes: ${done} done${failed > 0 ? `, ${failed} failed` : ''}${skipped > 0 ? `, ${skipped} skipped` : ''} in ${fmtMs(now() - started)}`;
      if (o.mode === 'tty') o.write(`${drawn > 0 ? `\r${ESC}${drawn}A${ESC}J` : ''}${cut(`  ${tally}`)}\n`);
      else o.write(`${tally}\n`);
      stopped = true;
    },
  };
}
