/** Parsing of human durations such as `250ms`, `15s`, `5m`, `2h`, `7d` (flags and relative times). */

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const DURATION_PATTERN = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)?$/;

/**
 * Milliseconds for a duration string; a bare number is taken in `defaultUnit`.
 * Returns undefined when the text is not a duration, so callers can word their own error.
 */
export function parseDurationMs(text: string, defaultUnit: keyof typeof UNIT_MS = 'ms'): number | undefined {
  const match = DURATION_PATTERN.exec(text.trim());
  if (!match) return undefined;
  const value = Number(match[1]);
  const unit = match[2] ?? defaultUnit;
  const ms = value * (UNIT_MS[unit] ?? 1);
  return Number.isFinite(ms) ? Math.round(ms) : undefined;
}

/** A compact human rendering (`1.5s`, `2m`, `3h`) for messages. */
export function formatDurationMs(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${trim(ms / 1_000)}s`;
  if (ms < 3_600_000) return `${trim(ms / 60_000)}m`;
  if (ms < 86_400_000) return `${trim(ms / 3_600_000)}h`;
  return `${trim(ms / 86_400_000)}d`;
}

function trim(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1).replace(/\.0$/, '');
}
