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

/**
 * The one rule for times shown to people, on every command (README "Output"): local time on a
 * terminal, UTC marked `Z` anywhere else or with `--utc`; the date always, except in a live tail on
 * a terminal, where every line is from now and the time of day is what a reader scans for.
 */
export function peopleTimeFormat(options: { terminal: boolean; utc: boolean; live: boolean }): TimeFormat {
  return {
    style: options.live && options.terminal ? 'time' : 'full',
    zone: options.utc || !options.terminal ? 'utc' : 'local',
  };
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

/**
 * `formatEventTime` for a stream of events, remembering the last second it formatted: a busy
 * stream carries many events per second, and reading a local time through `Date` costs more than
 * the rest of a pretty line. Only canonical times (`toISOString`'s `YYYY-MM-DDTHH:MM:SS.sssZ`) are
 * remembered: two of them that share everything up to the milliseconds lie in the same UTC second,
 * and a zone's offset is a whole number of seconds that changes on a whole second, so they share
 * the date and the time up to the seconds in every zone too. A formatter belongs to one run of
 * output: changing `TZ` while one is in use is not noticed.
 */
export function createTimeFormatter(format: TimeFormat): (iso: string | undefined) => string {
  const suffix = format.zone === 'utc' ? 'Z' : '';
  /** `YYYY-MM-DDTHH:MM:SS.` of the remembered second, and its text up to the milliseconds. */
  let second = '';
  let head = '';
  return (iso) => {
    if (
      second !== '' &&
      iso !== undefined &&
      iso.length === 24 &&
      iso.slice(0, 20) === second &&
      iso.charCodeAt(23) === 90 && // Z
      isDigit(iso.charCodeAt(20)) &&
      isDigit(iso.charCodeAt(21)) &&
      isDigit(iso.charCodeAt(22))
    )
      return head + iso.slice(20, 23) + suffix;
    const text = formatEventTime(iso, format);
    if (iso !== undefined && iso.length === 24) {
      const ms = Date.parse(iso);
      const tail = `${iso.slice(20, 23)}${suffix}`;
      if (!Number.isNaN(ms) && new Date(ms).toISOString() === iso && text.endsWith(tail)) {
        second = iso.slice(0, 20);
        head = text.slice(0, text.length - tail.length);
      }
    }
    return text;
  };
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}
