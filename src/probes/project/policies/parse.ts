/**
 * Recognising a secret rotation policy by what a document says, not by its file name: a line
 * about rotating (rotate, rotation, rotated), a period near it (every 90 days, quarterly,
 * annually) and the secrets it covers (Zoho, the bot's app secret, storage keys, ...).
 * Key Vault's own guidance is to rotate on a schedule and record it
 * (https://learn.microsoft.com/azure/key-vault/secrets/tutorial-rotation).
 */
import type { RotationPolicyDoc } from '../../../facts/project.js';

const ROTATION = /\brotat(?:e|es|ed|ing|ion|ions)\b/i;
/** Lines either side of a rotation line where its period may be stated. */
const NEAR = 3;

const UNIT_DAYS: Readonly<Record<string, number>> = { day: 1, week: 7, month: 30, quarter: 91, year: 365 };
const WORD_DAYS: readonly [RegExp, number, string][] = [
  [/\bdaily\b/i, 1, 'daily'],
  [/\bweekly\b/i, 7, 'weekly'],
  [/\bmonthly\b/i, 30, 'monthly'],
  [/\bquarterly\b/i, 91, 'quarterly'],
  [/\b(?:semi-?annually|twice a year|every six months)\b/i, 182, 'twice a year'],
  [/\b(?:annually|yearly|once a year)\b/i, 365, 'annually'],
];

/** Each stated period on a line, in days, with its text. */
export function periodsIn(line: string): { days: number; text: string }[] {
  const out: { days: number; text: string }[] = [];
  for (const m of line.matchAll(/\b(?:every\s+)?(\d{1,4})[\s-]*(day|week|month|quarter|year)s?\b/gi)) {
    const n = Number(m[1]);
    const unit = UNIT_DAYS[(m[2] ?? '').toLowerCase()];
    if (unit !== undefined && n > 0) out.push({ days: n * unit, text: m[0] });
  }
  for (const m of line.matchAll(/\bevery\s+(day|week|month|quarter|year)\b/gi)) {
    const unit = UNIT_DAYS[(m[1] ?? '').toLowerCase()];
    if (unit !== undefined) out.push({ days: unit, text: m[0] });
  }
  for (const [re, days, text] of WORD_DAYS) if (re.test(line)) out.push({ days, text });
  return out;
}

/** Secrets a policy may name, by what a reader would call them. */
const SECRETS: readonly [RegExp, string][] = [
  [/\bzoho\b/i, 'Zoho'],
  [/\brefresh[\s_-]?tokens?\b/i, 'refresh token'],
  [/\b(?:bot|teams)\b|MicrosoftAppPassword|MICROSOFT_APP_PASSWORD/i, 'bot app secret'],
  [/\bclient[\s_-]?secrets?\b|\bapp(?:lication)?[\s_-]?secrets?\b/i, 'client secret'],
  [/\bstorage\b|\baccount[\s_-]?keys?\b/i, 'storage key'],
  [/\bcosmos\b/i, 'Cosmos DB key'],
  [/\bkey[\s_-]?vault\b/i, 'Key Vault secrets'],
  [/\bssh\b/i, 'SSH keys'],
  [/\b(?:certificates?|tls|ssl)\b/i, 'certificates'],
  [/\bpasswords?\b/i, 'passwords'],
  [/\bapi[\s_-]?keys?\b/i, 'API keys'],
];

/**
 * The rotation policy a document states, or undefined when it never mentions rotating
 * secrets. A rotation line must be about secrets (a secret word on the line or in the
 * document): "log rotation" alone (logrotate) is not a secret policy.
 */
export function parseRotationPolicy(path: string, text: string): RotationPolicyDoc | undefined {
  const lines = text.split(/\r?\n/);
  const rotationLines: number[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const l = lines[i] ?? '';
    if (ROTATION.test(l) && !/\blog\s*rotat|logrotate/i.test(l)) rotationLines.push(i);
  }
  if (rotationLines.length === 0) return undefined;
  const secrets = new Set<string>();
  for (const l of lines) for (const [re, name] of SECRETS) if (re.test(l)) secrets.add(name);
  if (secrets.size === 0 && !/\bsecrets?\b|\bcredentials?\b|\bkeys?\b|\btokens?\b/i.test(text)) return undefined;
  let best: { days: number; text: string } | undefined;
  for (const i of rotationLines) {
    for (let j = Math.max(0, i - NEAR); j <= Math.min(lines.length - 1, i + NEAR); j += 1) {
      for (const p of periodsIn(lines[j] ?? '')) if (!best || p.days < best.days) best = p;
    }
  }
  return {
    path,
    line: (rotationLines[0] ?? 0) + 1,
    ...(best ? { periodDays: best.days, periodText: best.text } : {}),
    secrets: [...secrets],
  };
}
