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
