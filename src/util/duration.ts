/**
 * The one duration grammar of every command and of the mock (README "Durations"): one or more
 * `<number><unit>` parts from the largest unit to the smallest (`250ms`, `15s`, `1h30m`, `1.5h`,
 * `2d12h`), or a bare number, which is seconds. Never negative.
 */

const UNIT_MS: Readonly<Record<string, number>> = {
  w: 604_800_000,
  d: 86_400_000,
  h: 3_600_000,
  m: 60_000,
  s: 1_000,
  ms: 1,
};

/** Units from the largest to the smallest: a compound duration lists them in this order. */
const UNIT_ORDER = ['w', 'd', 'h', 'm', 's', 'ms'];

// `ms` before `m` and `s`, so that `250ms` is not read as 250 minutes and a stray `s`.
const PART = /(\d+(?:\.\d+)?)(ms|w|d|h|m|s)/y;
const BARE_NUMBER = /^\d+(?:\.\d+)?$/;

/** Longest duration accepted (a century): anything longer is a typo, and would overflow a Date. */
export const MAX_DURATION_MS = 100 * 365 * 86_400_000;

/**
 * Milliseconds for a duration string, or undefined when the text is not one, so callers can word
 * their own error naming the flag.
 */
export function parseDurationMs(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed.length > 64) return undefined;
  let ms: number;
  if (BARE_NUMBER.test(trimmed)) ms = Number(trimmed) * 1_000;
  else {
    ms = 0;
    PART.lastIndex = 0;
    let lastUnit = -1;
    while (PART.lastIndex < trimmed.length) {
      const match = PART.exec(trimmed);
      if (!match) return undefined;
      const unit = UNIT_ORDER.indexOf(match[2]!);
      if (unit <= lastUnit) return undefined;
      lastUnit = unit;
      ms += Number(match[1]) * UNIT_MS[match[2]!]!;
    }
    if (lastUnit === -1) return undefined;
  }
  return Number.isFinite(ms) && ms <= MAX_DURATION_MS ? Math.round(ms) : undefined;
}

/** What to say about a text that is not a duration, for error messages. */
export const DURATION_SYNTAX = 'a duration such as 30s, 5m, 1h30m or 7d (a bare number is seconds)';

/** A compact human rendering (`1.5s`, `2m`, `1h30m`, `3h`) for messages. */
export function formatDurationMs(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${trim(ms / 1_000)}s`;
  if (ms < 3_600_000) return `${trim(ms / 60_000)}m`;
  if (ms < 86_400_000) {
    const hours = Math.floor(ms / 3_600_000);
    const minutes = Math.round((ms % 3_600_000) / 60_000);
    return minutes === 0 ? `${hours}h` : minutes === 60 ? `${hours + 1}h` : `${hours}h${minutes}m`;
  }
  return `${trim(ms / 86_400_000)}d`;
}

function trim(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1).replace(/\.0$/, '');
}
