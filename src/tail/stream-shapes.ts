/**
 * What a decoded SSE frame of any log stream means (docs/api.md "Other stream shapes the mock
 * serves"): a log event, a control frame (`reset`, `gap`, `scope-destroyed`), or something to skip;
 * and the common fields (time, severity, source, message) of a log event whatever its shape, so
 * that pretty lines and the TUI read every stream alike while NDJSON passes the original through.
 *
 * Pure and total: any JSON value, however odd or hostile, yields a classification, never a throw.
 * Only top-level fields (and `data.message`) are read, so nesting depth costs nothing here.
 */
import { normalizeSeverity } from '../model/event.js';
import type { EventRecord } from '../output/fields.js';
import { isoFromEpochMs } from '../util/rfc3339.js';

/** Frame names whose data is a log event: the SSE default (no name, or `message`) and `audit-log`. */
export const LOG_EVENT_NAMES: ReadonlySet<string> = new Set(['', 'message', 'audit-log']);

export const CONTROL_NAMES = ['reset', 'gap', 'scope-destroyed'] as const;
export type ControlName = (typeof CONTROL_NAMES)[number];

/** The fields every renderer shows, read from whichever names the stream uses. */
export interface CommonEvent {
  /** ISO 8601 when the stream's time could be read as a date; otherwise the text it sent. */
  ts?: string | undefined;
  /** A canonical severity (`warning` → `warn`) when it is one; otherwise the stream's word, lower-cased. */
  severity?: string | undefined;
  source?: string | undefined;
  message: string;
}

export interface LogEventFrame {
  kind: 'event';
  /** The record as the stream sent it: what NDJSON writes. */
  record: EventRecord;
  /** Computed when first read. */
  readonly common: CommonEvent;
}

export interface ControlFrame {
  kind: 'control';
  control: ControlName;
  /** The data object of the frame, or `{}` when it had none (or none that was an object). */
  data: EventRecord;
  /** `reason` of reset / scope-destroyed, when it is a string. */
  reason?: string | undefined;
  /** gap: the cursor asked for and the oldest one replayed, when they are strings or numbers. */
  after?: string | undefined;
  resumedFrom?: string | undefined;
}

export interface IgnoredFrame {
  kind: 'ignore';
  /** One line saying why, for a notice (`unknown event "ping"`, `data is not a JSON object`). */
  reason: string;
}

export type ClassifiedFrame = LogEventFrame | ControlFrame | IgnoredFrame;

const MAX_NAME_IN_REASON = 40;

/** A JSON object (not null, not an array). */
export function isRecord(value: unknown): value is EventRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function idText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/**
 * Classifies one frame by its `event:` name (undefined when it had none) and its decoded data
 * (any JSON value; undefined when the data was not JSON).
 */
export function classifyFrame(eventName: string | undefined, data: unknown): ClassifiedFrame {
  const name = eventName ?? '';
  if ((CONTROL_NAMES as readonly string[]).includes(name)) {
    const body = isRecord(data) ? data : {};
    const frame: ControlFrame = { kind: 'control', control: name as ControlName, data: body };
    if (typeof body.reason === 'string') frame.reason = body.reason;
    if (name === 'gap') {
      frame.after = idText(body.after);
      frame.resumedFrom = idText(body.resumed_from ?? body.resumedFrom);
    }
    return frame;
  }
  if (!LOG_EVENT_NAMES.has(name)) {
    return { kind: 'ignore', reason: `unknown event ${JSON.stringify(name.slice(0, MAX_NAME_IN_REASON))}` };
  }
  if (!isRecord(data)) {
    return { kind: 'ignore', reason: data === undefined ? 'data is not JSON' : 'data is not a JSON object' };
  }
  return logEventFrame(data);
}

/** The common fields are worked out on first use: NDJSON output never needs them. */
function logEventFrame(record: EventRecord): LogEventFrame {
  let common: CommonEvent | undefined;
  return {
    kind: 'event',
    record,
    get common() {
      common ??= toCommonEvent(record);
      return common;
    },
  };
}

const SEVERITY_KEYS = ['severity', 'level'] as const;
const SOURCE_KEYS = ['serviceName', 'service', 'source', 'actor_label', 'actor'] as const;
const TIME_KEYS = ['ts', 'tsIso', 'created_at', 'timestamp', 'time', 'tsMs'] as const;
/** Epoch numbers below this are seconds, not milliseconds (1e11 s is the year 5138; 1e11 ms is 1973). */
const SECONDS_BELOW = 1e11;
const MAX_FIELD_CHARS = 256;
/** Already what `toISOString` would give: kept without a parse. */
const CANONICAL_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

function firstText(record: EventRecord, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = record[key];
    if (typeof value === 'string' && value !== '') return value.slice(0, MAX_FIELD_CHARS);
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  }
  return undefined;
}

function isoFromEpoch(value: number, key: string): string | undefined {
  const ms = key === 'tsMs' || Math.abs(value) >= SECONDS_BELOW ? value : value * 1_000;
  return isoFromEpochMs(ms);
}

/** The event's time: ISO strings kept (normalised to UTC when they parse), epoch numbers converted. */
function commonTime(record: EventRecord): string | undefined {
  for (const key of TIME_KEYS) {
    const value = record[key];
    if (typeof value === 'number' && Number.isFinite(value)) {
      const iso = isoFromEpoch(value, key);
      if (iso) return iso;
    } else if (typeof value === 'string' && value !== '') {
      if (CANONICAL_TIME.test(value)) return value;
      const ms = Date.parse(value);
      return Number.isNaN(ms) ? value.slice(0, MAX_FIELD_CHARS) : new Date(ms).toISOString();
    }
  }
  return undefined;
}

function commonSeverity(record: EventRecord): string | undefined {
  const word = firstText(record, SEVERITY_KEYS);
  if (word === undefined) return undefined;
  return normalizeSeverity(word) ?? word.toLowerCase();
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The line a person reads: the record's own message, else a request line (`POST /v1/users 201`),
 * else an audit action with what it acted on (`identity.created alice@example.com`).
 */
function commonMessage(record: EventRecord): string {
  const own = text(record.message) ?? text(record.msg);
  if (own !== undefined) return own;
  const nested = isRecord(record.data) ? (text(record.data.message) ?? text(record.data.msg)) : undefined;
  if (nested !== undefined) return nested;
  const url = text(record.url) ?? text(record.path);
  if (url !== undefined) {
    const status = idText(record.status);
    return [text(record.method), url, status].filter((part) => part !== undefined).join(' ');
  }
  const action = text(record.action);
  if (action !== undefined) {
    const target = text(record.resource_label);
    return target === undefined ? action : `${action} ${target}`;
  }
  return text(record.event) ?? '';
}

/** The common fields of one log record, whatever names its stream uses. */
export function toCommonEvent(record: EventRecord): CommonEvent {
  return {
    ts: commonTime(record),
    severity: commonSeverity(record),
    source: firstText(record, SOURCE_KEYS),
    message: commonMessage(record),
  };
}

/** Keys a display record takes its common fields from: native events need no mapping at all. */
const NATIVE_KEYS = ['ts', 'severity', 'message'] as const;

/** A record in this API's own event shape (docs/api.md "The event"): shown as it is. */
export function isNativeEvent(record: EventRecord): boolean {
  return NATIVE_KEYS.every((key) => typeof record[key] === 'string') && record.serviceName === undefined;
}

/**
 * The record that pretty lines and the TUI render: a native event as it is; any other shape as
 * its common fields first (`ts`, `severity`, `source`, `message`) with everything else it carried
 * (non-null, minus the fields read for those) under `payload`: nothing is lost, and nothing is shown
 * under a misleading name (a proxy entry's `source: "backend"` is not its service).
 */
export function displayRecord(frame: LogEventFrame): EventRecord {
  const { record } = frame;
  if (isNativeEvent(record)) return record;
  const { common } = frame;
  const used = new Set<string>([...TIME_KEYS, ...SEVERITY_KEYS]);
  const sourceKey = SOURCE_KEYS.find((key) => firstText(record, [key]) !== undefined);
  if (sourceKey !== undefined) used.add(sourceKey);
  if (text(record.message) !== undefined) used.add('message');
  else if (text(record.msg) !== undefined) used.add('msg');
  const rest: EventRecord = {};
  for (const [key, value] of Object.entries(record)) {
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

/**
 * Decodes a frame's data text as JSON (undefined when it is not JSON) and classifies it. Frames
 * are small objects; a data line too large to be an event is the caller's to cap (the SSE parser's
 * buffer limit), not this function's.
 */
export function classifyRawFrame(eventName: string | undefined, dataText: string): ClassifiedFrame {
  let data: unknown;
  try {
    data = JSON.parse(dataText);
  } catch {
    data = undefined;
  }
  return classifyFrame(eventName, data);
}
