/**
 * Times given on the command line (`--from`, `--to`, `--ts`): an absolute time in the one format
 * SOQL also reads (util/rfc3339.ts), `now`, or a duration back from now (`15m`, `1h30m`, `2h ago`,
 * a bare number of seconds) in the one duration grammar (util/duration.ts).
 */
import { DURATION_SYNTAX, parseDurationMs } from './duration.js';
import { looksLikeTime, parseRfc3339 } from './rfc3339.js';

export type TimeSpecResult = { iso: string } | { problem: string };

/** The instant a time spec names, or what is wrong with it (worded to follow `--flag: `). */
export function readTimeSpec(text: string, now: Date): TimeSpecResult {
  const trimmed = text.trim();
  if (trimmed.toLowerCase() === 'now') return { iso: now.toISOString() };
  const ms = parseRfc3339(trimmed);
  if (ms !== undefined) return toIso(ms);
  if (looksLikeTime(trimmed)) return { problem: `'${text}' is not a real date and time` };
  const ago = parseDurationMs(trimmed.replace(/\s*ago$/i, ''));
  if (ago !== undefined) return toIso(now.getTime() - ago);
  if (trimmed.startsWith('-')) {
    return { problem: `'${text}' is negative: a duration counts back from now` };
  }
  return {
    problem: `'${text}' is neither an RFC 3339 time (2026-05-17T10:00:00Z) nor ${DURATION_SYNTAX}`,
  };
}

/** The instant a time spec names, as an ISO string, or undefined when it is not one. */
export function parseTimeSpec(text: string, now: Date): string | undefined {
  const result = readTimeSpec(text, now);
  return 'iso' in result ? result.iso : undefined;
}

function toIso(ms: number): TimeSpecResult {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? { problem: 'the time is out of range' } : { iso: date.toISOString() };
}
