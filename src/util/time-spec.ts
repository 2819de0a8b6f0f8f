/** Times given on the command line: RFC 3339, or relative to now (`15m`, `2h`, `7d`, `now`). */
import { parseDurationMs } from './duration.js';

const RFC3339 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * The instant a time spec names, as an ISO string; a relative spec counts back from `now`.
 * Returns undefined when the text is neither, so the caller can name the flag in its error.
 */
export function parseTimeSpec(text: string, now: Date): string | undefined {
  const trimmed = text.trim();
  if (trimmed.toLowerCase() === 'now') return now.toISOString();
  const relative = /^-?(.+?)(?:\s*ago)?$/.exec(trimmed)?.[1];
  const ms = relative === undefined ? undefined : parseDurationMs(relative, 's');
  if (ms !== undefined && !/^\d+$/.test(trimmed)) return new Date(now.getTime() - ms).toISOString();
  if (RFC3339.test(trimmed)) {
    // A date or time without a zone is taken as UTC, the zone logs are stored in.
    const withZone =
      /(?:Z|[+-]\d{2}:?\d{2})$/i.test(trimmed) || trimmed.length === 10 ? trimmed : `${trimmed}Z`;
    const date = new Date(withZone.replace(' ', 'T'));
    if (!Number.isNaN(date.getTime())) return date.toISOString();
  }
  return undefined;
}
