/**
 * The one parser of absolute times, for command-line flags and for SOQL alike (docs/soql.md
 * "How values compare"), so that a time the CLI accepts is a time the query language accepts.
 *
 * RFC 3339 (`2026-05-17T10:00:00Z`, `2026-05-17T12:00:00.250+02:00`), with these leniencies and
 * no others: a date alone is midnight UTC; seconds may be left out (`2026-05-17T10:00Z`); a time
 * without an offset is UTC (never the machine's zone, so the CLI and the server agree); `t`, `z`
 * and a space for `T` are accepted, and an offset may be written `+0200`. Impossible dates
 * (`2026-02-30`) and times (`24:00`) are rejected, never rolled over.
 */

// No nested quantifiers: linear on any input.
const TIME_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?)?$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The widest range a JavaScript Date holds, in ms either side of the epoch. */
const MAX_DATE_MS = 8.64e15;

/**
 * `new Date(ms).toISOString()`, or undefined for a number no Date can hold (NaN, ±Infinity,
 * `1e300`), where toISOString would throw.
 */
export function isoFromEpochMs(ms: number): string | undefined {
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS ? new Date(ms).toISOString() : undefined;
}

/** Whether the text has the shape of a time, valid or not (to word an error for `2026-02-30`). */
export function looksLikeTime(text: string): boolean {
  return TIME_PATTERN.test(text);
}

/** Epoch milliseconds for a time as described above, or undefined. */
export function parseRfc3339(text: string): number | undefined {
  const match = TIME_PATTERN.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', , sign, offH = '0', offM = '0'] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const monthDays = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  const [hour, minute, second] = [Number(h), Number(mi), Number(s)];
  if (monthDays === undefined || day < 1 || day > monthDays || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  if (Number(offH) > 23 || Number(offM) > 59) return undefined;
  const ms = Number(fraction.padEnd(3, '0').slice(0, 3));
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, ms));
  date.setUTCFullYear(year); // Date.UTC would read years 0–99 as 1900–1999
  const offset = (Number(offH) * 60 + Number(offM)) * 60_000;
  return date.getTime() - (sign === '-' ? -offset : sign === '+' ? offset : 0);
}
