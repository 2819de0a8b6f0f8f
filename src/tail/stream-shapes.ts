/**
 * What a decoded SSE frame of any log stream means (docs/api.md "Other stream shapes the mock
 * serves"): a log event, a control frame (`reset`, `gap`, `scope-destroyed`), or something to skip,
 * each typed by its kind. A log event's common fields (time, severity, source, message) are read
 * through the one field table (model/event-record.ts), so that pretty lines and the TUI read every
 * stream alike while NDJSON passes the original through.
 *
 * Pure and total: any JSON value, however odd or hostile, yields a classification, never a throw.
 */
import { type CommonEvent, type EventRecord, isRecord, toCommonEvent } from '../model/event-record.js';

/** Frame names whose data is a log event: the SSE default (no name, or `message`) and `audit-log`. */
export const LOG_EVENT_NAMES: ReadonlySet<string> = new Set(['', 'message', 'audit-log']);

export const CONTROL_NAMES = ['reset', 'gap', 'scope-destroyed'] as const;
export type ControlName = (typeof CONTROL_NAMES)[number];

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

/**
 * Why a frame is skipped: a name no log stream uses (nothing to count), or a log-event frame whose
 * data is not JSON or not an object (an event that was lost: worth counting).
 */
export type IgnoredWhy = 'unknown-name' | 'not-json' | 'not-object';

export interface IgnoredFrame {
  kind: 'ignore';
  why: IgnoredWhy;
  /** One line saying why, for a notice (`unknown event "ping"`, `data is not a JSON object`). */
  reason: string;
}

export type ClassifiedFrame = LogEventFrame | ControlFrame | IgnoredFrame;

const MAX_NAME_IN_REASON = 40;

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
    return {
      kind: 'ignore',
      why: 'unknown-name',
      reason: `unknown event ${JSON.stringify(name.slice(0, MAX_NAME_IN_REASON))}`,
    };
  }
  if (!isRecord(data)) {
    return data === undefined
      ? { kind: 'ignore', why: 'not-json', reason: 'data is not JSON' }
      : { kind: 'ignore', why: 'not-object', reason: 'data is not a JSON object' };
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
