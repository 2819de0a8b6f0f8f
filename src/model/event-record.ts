/**
 * The event as every renderer and filter reads it, whatever stream it came from: a JSON object
 * (`EventRecord`) and the one table of where its common fields — time, severity, source, message —
 * are found in each stream shape sotail knows (docs/api.md "The event" and "Other stream shapes
 * the mock serves"). Pretty lines, tables, templates, `--fields`, the live view and a filter on a
 * `--url` stream all read through here, so a field means the same thing everywhere.
 *
 * Pure and total: any JSON value, however odd or hostile, yields fields, never a throw. Only
 * top-level fields and a few named nested ones (`data.message`, `metadata.source`) are read, so
 * nesting depth costs nothing here.
 */
import { isoFromEpochMs } from '../util/rfc3339.js';
import { normalizeSeverity } from './event.js';

export type EventRecord = Record<string, unknown>;

/**
 * The one field table: for each common field, the top-level keys that hold it, in the order they
 * are tried. The API's own names come first in every row but `source`, where a proxy log's
 * `serviceName` must win over its `source` (`backend`/`edge`: the tier, not the service). When no
 * key of a row holds a value, the field is derived from other fields (see eventSource and
 * eventMessage); an audit row's `actor_label` is who acted, never the source.
 */
export const COMMON_FIELD_KEYS = {
  ts: ['ts', 'tsIso', 'created_at', 'timestamp', 'time', 'tsMs'],
  severity: ['severity', 'level'],
  source: ['serviceName', 'service', 'source'],
  message: ['message', 'msg'],
} as const satisfies Record<string, readonly string[]>;

export type CommonField = keyof typeof COMMON_FIELD_KEYS;

/** The common fields of one record, as the display record carries them. */
export interface CommonEvent {
  /** ISO 8601 UTC when the stream's time reads as a date; otherwise the value as sent. */
  ts?: string | undefined;
  /** A canonical severity (`warning` → `warn`) when it is one; otherwise the stream's word, lower-cased. */
  severity?: string | undefined;
  source?: string | undefined;
  message: string;
}

/** Epoch numbers below this are seconds, not milliseconds (1e11 s is the year 5138; 1e11 ms is 1973). */
const SECONDS_BELOW = 1e11;
/** Longest severity or source a display record keeps: a column, not a document. */
const MAX_FIELD_CHARS = 256;
/** Already what `toISOString` would give: kept without a parse. */
const CANONICAL_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** A JSON object (not null, not an array). */
export function isRecord(value: unknown): value is EventRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value a column can show as text: a non-empty string or a finite number. */
function isText(value: unknown): value is string | number {
  return (typeof value === 'string' && value !== '') || (typeof value === 'number' && Number.isFinite(value));
}

/** The first of `keys` that holds a non-empty string or a finite number: where a common column is read from. */
export function firstKey(event: EventRecord, keys: readonly string[]): string | undefined {
  for (const key of keys) if (isText(event[key])) return key;
  return undefined;
}

function firstText(event: EventRecord, keys: readonly string[]): string | undefined {
  const key = firstKey(event, keys);
  return key === undefined ? undefined : String(event[key]);
}

function stringAt(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** An epoch number as ISO: `tsMs` is milliseconds, other keys milliseconds or seconds by size. */
function isoFromEpoch(value: number, key: string): string | undefined {
  return isoFromEpochMs(key === 'tsMs' || Math.abs(value) >= SECONDS_BELOW ? value : value * 1_000);
}

/**
 * The key the event's time is read from: the first that holds text or a number a date can hold;
 * failing that, the first that holds any number (shown as written).
 */
export function timeKey(event: EventRecord): string | undefined {
  let fallback: string | undefined;
  for (const key of COMMON_FIELD_KEYS.ts) {
    const value = event[key];
    if (typeof value === 'string') {
      if (value !== '') return key;
    } else if (typeof value === 'number' && Number.isFinite(value)) {
      if (isoFromEpoch(value, key) !== undefined) return key;
      fallback ??= key;
    }
  }
  return fallback;
}

/**
 * The event's time: text as the stream wrote it, an epoch number as ISO. A number no date can hold
 * (`1e300`) is shown as it is written, as text that is not a date is, so that one odd event is
 * shown, not fatal.
 */
export function eventTime(event: EventRecord): string | undefined {
  return timeAt(event, timeKey(event));
}

/** `eventTime` for a key `timeKey` already chose (a line that also needs the key reads it once). */
export function timeAt(event: EventRecord, key: string | undefined): string | undefined {
  if (key === undefined) return undefined;
  const value = event[key];
  return typeof value === 'number' ? (isoFromEpoch(value, key) ?? String(value)) : (value as string);
}

/** The severity: canonical when it is one (`WARNING` → `warn`), else the stream's word lower-cased. */
export function eventSeverity(event: EventRecord): string | undefined {
  const word = firstText(event, COMMON_FIELD_KEYS.severity);
  return word === undefined ? undefined : (normalizeSeverity(word) ?? word.toLowerCase());
}

/** The service that logged it; an audit row names it in its `metadata`. */
export function eventSource(event: EventRecord): string | undefined {
  const own = firstText(event, COMMON_FIELD_KEYS.source);
  if (own !== undefined) return own;
  const metadata = event.metadata;
  return isRecord(metadata) && isText(metadata.source) ? String(metadata.source) : undefined;
}

/**
 * The line a person reads: the record's own message, else one nested in `data`, else a request
 * line (`POST /v1/users 201`), else an audit action with what it acted on (`identity.created
 * alice@example.com`), else the event's name; `''` when there is nothing.
 */
export function eventMessage(event: EventRecord): string {
  const own = firstText(event, COMMON_FIELD_KEYS.message);
  if (own !== undefined) return own;
  const data = event.data;
  const nested = isRecord(data) ? (stringAt(data.message) ?? stringAt(data.msg)) : undefined;
  if (nested !== undefined) return nested;
  const url = stringAt(event.url) ?? stringAt(event.path);
  if (url !== undefined) {
    const status = isText(event.status) ? String(event.status) : undefined;
    return [stringAt(event.method), url, status].filter((part) => part !== undefined).join(' ');
  }
  const action = stringAt(event.action);
  if (action !== undefined) {
    const target = stringAt(event.resource_label);
    return target === undefined ? action : `${action} ${target}`;
  }
  return stringAt(event.event) ?? '';
}

/**
 * The top-level keys the common columns were read from as they are (not derived): what a line
 * that shows those columns leaves out of its other fields.
 */
export function commonKeys(event: EventRecord): {
  ts?: string | undefined;
  severity?: string | undefined;
  source?: string | undefined;
  message?: string | undefined;
} {
  return {
    ts: timeKey(event),
    severity: firstKey(event, COMMON_FIELD_KEYS.severity),
    source: firstKey(event, COMMON_FIELD_KEYS.source),
    message: firstKey(event, COMMON_FIELD_KEYS.message),
  };
}

/** The time as ISO UTC when it reads as a date; otherwise as sent (cut to a column's length). */
function normalizedTime(time: string | undefined): string | undefined {
  if (time === undefined || CANONICAL_TIME.test(time)) return time;
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? time.slice(0, MAX_FIELD_CHARS) : new Date(ms).toISOString();
}

/** The common fields of one record, whatever names its stream uses. */
export function toCommonEvent(event: EventRecord): CommonEvent {
  return {
    ts: normalizedTime(eventTime(event)),
    severity: eventSeverity(event)?.slice(0, MAX_FIELD_CHARS),
    source: eventSource(event)?.slice(0, MAX_FIELD_CHARS),
    message: eventMessage(event),
  };
}

/** Keys a record in this API's own shape holds as text: it needs no mapping at all. */
const NATIVE_KEYS = ['ts', 'severity', 'message'] as const;

/** A record in this API's own event shape (docs/api.md "The event"): shown as it is. */
export function isNativeEvent(event: EventRecord): boolean {
  return NATIVE_KEYS.every((key) => typeof event[key] === 'string') && event.serviceName === undefined;
}

/**
 * The record that renderers and `--url` filters read: a native event as it is; any other shape as
 * its common fields first (`ts`, `severity`, `source`, `message`) with everything else it carried
 * (non-null, minus the keys those were read from) under `payload`: nothing is lost, and nothing is
 * shown under a misleading name (a proxy entry's `source: "backend"` is not its service).
 */
export function displayRecord(event: EventRecord, known?: CommonEvent): EventRecord {
  if (isNativeEvent(event)) return event;
  const common = known ?? toCommonEvent(event);
  const read = commonKeys(event);
  const used = new Set<string>([...COMMON_FIELD_KEYS.ts, ...COMMON_FIELD_KEYS.severity]);
  if (read.source !== undefined) used.add(read.source);
  if (read.message !== undefined) used.add(read.message);
  const rest: EventRecord = {};
  for (const [key, value] of Object.entries(event)) {
    if (!used.has(key) && value !== null && value !== undefined) rest[key] = value;
  }
  const shown: EventRecord = {};
  if (common.ts !== undefined) shown.ts = common.ts;
  if (common.severity !== undefined) shown.severity = common.severity;
  if (common.source !== undefined) shown.source = common.source;
  shown.message = common.message;
  shown.payload = rest;
  return shown;
}

/** The value at a dotted path (`payload.user.id`), or undefined. */
export function valueAtPath(event: EventRecord, path: string): unknown {
  if (path in event) return event[path];
  let current: unknown = event;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as EventRecord)[part];
  }
  return current;
}

/** A new object holding only the named fields (dotted paths keep their dotted name as the key). */
export function pickFields(event: EventRecord, fields: readonly string[]): EventRecord {
  const picked: EventRecord = {};
  for (const field of fields) {
    const value = valueAtPath(event, field);
    if (value !== undefined) picked[field] = value;
  }
  return picked;
}
