/**
 * Recognising a runbook by what it says, not by its file name: a recovery runbook talks about
 * restoring and names at least one of the service's restore paths (Cosmos DB continuous-backup
 * point-in-time restore — https://learn.microsoft.com/azure/cosmos-db/restore-account-continuous-backup —,
 * blob versioning / soft delete restore, VM restore from a Recovery Services vault —
 * https://learn.microsoft.com/azure/backup/tutorial-restore-disk); a rollback runbook talks about
 * rolling back to a previous release. Both must be actionable: numbered steps or commands, and a
 * recovery runbook must be about recovery (a heading says so, or it holds a restore command).
 * Only the clues, headings and counts leave this module, never the text.
 */
import type { Runbook, RunbookKind } from '../../../facts/backup.js';

const RESTORE = /\brestor(?:e|es|ed|ing)\b/i;
const RECOVERY_SIGNALS: readonly (readonly [string, RegExp])[] = [
  ['cosmos db point-in-time restore', /\baz\s+cosmosdb\s+restore\b|point[\s-]in[\s-]time[^\n]{0,120}cosmos|cosmos[^\n]{0,120}point[\s-]in[\s-]time/i],
  ['blob restore', /\baz\s+storage\s+blob\s+(?:restore|undelete)\b|--version-id\b|\bblob[^\n]{0,80}\b(?:restore|versions?|versioning|undelete|soft[\s-]delete)\b/i],
  ['vm restore', /\baz\s+backup\s+restore\b|\brestor\w*\b[^\n]{0,60}\b(?:vm|virtual machine|os disk|disks?)\b|\b(?:vm|virtual machine)\b[^\n]{0,60}\brestor/i],
  ['backup vault', /\brecovery services vault\b|\bbackup vault\b|\baz\s+backup\s+vault\b/i],
];
/** A document about recovery says so in a heading, or carries an actual restore command. */
const RECOVERY_HEADING = /\b(?:restor\w*|recover\w*|disaster|backups?)\b/i;
const RESTORE_COMMAND = /\baz\s+(?:cosmosdb\s+restore|storage\s+blob\s+(?:restore|undelete)|backup\s+restore)\b/;
const ROLLBACK = /\broll(?:s|ing|ed)?[\s-]?backs?\b/i;
const PREVIOUS = /\b(?:previous|prior|last[\s-]known[\s-]good|earlier|old)\s+(?:release|version|tag|build|deploy(?:ment)?)s?\b/i;

const MAX_HEADINGS = 12;
const MAX_HEADING_LENGTH = 80;

export interface DocumentShape {
  headings: string[];
  steps: number;
  commands: number;
}

/** Headings, numbered steps and command lines of a Markdown (or plain text) document. */
export function documentShape(text: string): DocumentShape {
  const shape: DocumentShape = { headings: [], steps: 0, commands: 0 };
  let fence: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    const f = /^\s*(```|~~~)/.exec(line);
    if (f) {
      fence = fence === undefined ? f[1] : line.trim().startsWith(fence) ? undefined : fence;
      continue;
    }
    if (fence !== undefined) {
      if (line.trim() !== '' && !line.trim().startsWith('#')) shape.commands++;
      continue;
    }
    const h = /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (h) {
      if (shape.headings.length < MAX_HEADINGS) {
        const t = h[1] ?? '';
        shape.headings.push(t.length > MAX_HEADING_LENGTH ? `${t.slice(0, MAX_HEADING_LENGTH - 1)}…` : t);
      }
      continue;
    }
    if (/^\s*\d+[.)]\s+\S/.test(line)) shape.steps++;
    if (/^\s*\$\s+\S/.test(line)) shape.commands++;
  }
  return shape;
}

/** The runbook a document is, or undefined when it is none. `file` is relative to the root. */
export function classifyRunbook(text: string, file: string): Runbook | undefined {
  const shape = documentShape(text);
  const actionable: string[] = [];
  if (shape.steps >= 2) actionable.push(`${shape.steps} numbered steps`);
  if (shape.commands >= 1) actionable.push(`${shape.commands} command lines`);
  if (actionable.length === 0) return undefined;
  const kinds: RunbookKind[] = [];
  const signals: Partial<Record<RunbookKind, string[]>> = {};
  // A rollback runbook that points at the recovery runbook mentions restores too; it becomes a
  // recovery runbook only with a recovery heading or a restore command of its own.
  const aboutRecovery = shape.headings.some((h) => RECOVERY_HEADING.test(h)) || RESTORE_COMMAND.test(text);
  if (RESTORE.test(text) && aboutRecovery) {
    const found = RECOVERY_SIGNALS.filter(([, re]) => re.test(text)).map(([label]) => label);
    if (found.length > 0) {
      kinds.push('recovery');
      signals.recovery = ['restore', ...found, ...actionable];
    }
  }
  if (ROLLBACK.test(text) && PREVIOUS.test(text)) {
    kinds.push('rollback');
    signals.rollback = ['rollback', 'previous release', ...actionable];
  }
  if (kinds.length === 0) return undefined;
  return { file, kinds, signals, headings: shape.headings, steps: shape.steps, commands: shape.commands };
}
