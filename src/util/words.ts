/**
 * Numbers in sentences, said the way a person reads them: `1 line` and `2 lines`, thousands
 * separated, a rate only over a time long enough to mean one, a position counted from 1, and a
 * limit nobody could reach left unsaid. Every message that counts something uses these.
 */
import { formatDurationMs } from './duration.js';

/** `0 lines`, `1 line`, `1,234 lines`; `plural` for nouns that do not just take an s. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? singular : plural}`;
}

/** Below this, a rate is noise (3 events in 0.018 s are not "167/s"). */
const MIN_RATE_WINDOW_MS = 1_000;

/**
 * `in 2.5s (1,234/s)`, or `in 12ms` alone when the time is too short for a rate to mean anything:
 * how long something took, and how fast, for a summary line.
 */
export function tookWithRate(count: number, elapsedMs: number): string {
  const took = `in ${formatDurationMs(Math.max(0, elapsedMs))}`;
  if (elapsedMs < MIN_RATE_WINDOW_MS) return took;
  return `${took} (${Math.round((count * 1_000) / elapsedMs).toLocaleString('en-US')}/s)`;
}

/** The rate alone (`1,234/s`), or undefined while the time is too short for one. */
export function ratePerSecond(count: number, elapsedMs: number): string | undefined {
  if (elapsedMs < MIN_RATE_WINDOW_MS) return undefined;
  return `${Math.round((count * 1_000) / elapsedMs).toLocaleString('en-US')}/s`;
}

/**
 * Where a 0-based offset is in a text, for a person: `column 7`, or `line 2, column 3` when the
 * text has several lines.
 */
export function positionIn(text: string, offset: number): string {
  const before = text.slice(0, Math.max(0, offset));
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return text.includes('\n') ? `line ${line}, column ${column}` : `column ${column}`;
}

/**
 * What a whole-number option takes, in words: `a whole number from 1 to 1000`, or `a whole
 * number of at least 1` when the upper bound is only the largest number JavaScript holds exactly.
 */
export function wholeNumberRange(min: number, max: number = Number.MAX_SAFE_INTEGER): string {
  if (max >= Number.MAX_SAFE_INTEGER) {
    return min === 0 ? 'a whole number (0 or more)' : `a whole number of at least ${min}`;
  }
  return `a whole number from ${min} to ${max}`;
}

/** `32 MiB`, `64 KiB`, `512 bytes`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} byte${bytes === 1 ? '' : 's'}`;
}
