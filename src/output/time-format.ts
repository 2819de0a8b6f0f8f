/**
 * How an event's time is shown to people, in pretty lines and tables alike: local time by
 * default (a terminal reader thinks in their own zone), UTC with `--utc`, which is marked with a
 * `Z` so the two are never confused. NDJSON and JSON keep the wire value untouched.
 */
import { sanitizeForTerminal } from './sanitize.js';

export type TimeZoneMode = 'local' | 'utc';
/** `full` shows the date (queries over days); `time` only the time of day (live tail). */
export type TimeStyle = 'full' | 'time';

export interface TimeFormat {
  style: TimeStyle;
  zone: TimeZoneMode;
}

/** The width of a formatted time, so that a missing time keeps the columns aligned. */
export function timeWidth(format: TimeFormat): number {
  return (format.style === 'full' ? 23 : 12) + (format.zone === 'utc' ? 1 : 0);
}

/** `2026-05-17 12:00:00.123` (local), `2026-05-17 10:00:00.123Z` (UTC), or the time of day only. */
export function formatEventTime(iso: string | undefined, format: TimeFormat): string {
  if (!iso) return '-'.padEnd(timeWidth(format));
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return sanitizeForTerminal(iso);
  const utc = format.zone === 'utc';
  const parts = utc
    ? [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours()]
    : [date.getFullYear(), date.getMonth() + 1, date.getDate(), date.getHours()];
  const [minutes, seconds, ms] = utc
    ? [date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds()]
    : [date.getMinutes(), date.getSeconds(), date.getMilliseconds()];
  const [year, month, day, hours] = parts as [number, number, number, number];
  const time = `${pad(hours)}:${pad(minutes)}:${pad(seconds)}.${String(ms).padStart(3, '0')}${utc ? 'Z' : ''}`;
  if (format.style === 'time') return time;
  return `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)} ${time}`;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
