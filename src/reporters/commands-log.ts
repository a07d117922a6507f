/**
 * `13_PRODUCTION_DEPLOY_COMMANDS.log`: every command, file read and HTTP call of the run, in
 * sequence order. Entries were redacted when recorded; the whole text passes the redactor
 * again when written (the writer's job), so a secret learned late is still hidden.
 */
import type { LogEntry } from '../engine/types.js';
import { formatLogEntry } from '../safety/command-log.js';
import type { RunMeta } from './model.js';

export function renderCommandsLog(meta: RunMeta, entries: readonly LogEntry[]): string {
  const head = [
    `# predeploy ${meta.tool.version} commands log`,
    `# run ${meta.runId} · target ${meta.target} · root ${meta.root}`,
    `# started ${meta.startedAt} · finished ${meta.finishedAt}${meta.incomplete ? ' · INCOMPLETE (interrupted)' : ''}`,
    `# ${entries.length} entries · read-only: commands outside the allowlist are refused before they run · output redacted and capped`,
    '',
  ];
  return head.join('\n') + entries.map((e) => formatLogEntry(e)).join('\n') + (entries.length > 0 ? '\n' : '');
}

/**
 * The head of the commands log while the run goes (the CLI streams entries under it). The
 * complete log replaces the file when the run ends, so this head is only ever read in the log
 * of a run that was killed, or that is still running.
 */
export function renderStreamingLogHead(meta: Pick<RunMeta, 'tool' | 'runId' | 'target' | 'root' | 'startedAt'>): string {
  return [
    `# predeploy ${meta.tool.version} commands log`,
    `# run ${meta.runId} · target ${meta.target} · root ${meta.root}`,
    `# started ${meta.startedAt} · INCOMPLETE: written entry by entry as the run goes, and replaced by the complete log when it ends — a file that still reads this was left by a run that was killed or is still running`,
    `# entries in the order they completed (a probe's entries once the probe is done) · read-only: commands outside the allowlist are refused before they run · output redacted and capped`,
    '',
    '',
  ].join('\n');
}
