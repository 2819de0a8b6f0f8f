/**
 * Reading the fields of events whose shape varies by stream (api.md "Other SSE log streams"): the
 * renderer maps the common names so that every stream prints the same way.
 */

import { isoFromEpochMs } from '../util/rfc3339.js';

export type EventRecord = Record<string, unknown>;

export const SEVERITY_KEYS = ['severity', 'level'] as const;
export const MESSAGE_KEYS = ['message', 'msg', 'url'] as const;
export const SOURCE_KEYS = ['source', 'serviceName', 'service', 'actor_label'] as const;
export const TIME_KEYS = ['ts', 'tsIso', 'created_at', 'tsMs', 'timestamp', 'time'] as const;

/** The first of `keys` that holds a non-empty string or a number: where a common column is read from. */
export function firstKey(event: EventRecord, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = event[key];
    if ((typeof value === 'string' && value !== '') || typeof value === 'number') return key;
  }
  return undefined;
}

function firstString(event: EventRecord, keys: readonly string[]): string | undefined {
  const key = firstKey(event, keys);
  return key === undefined ? undefined : String(event[key]);
}

export function eventSeverity(event: EventRecord): string | undefined {
  return firstString(event, SEVERITY_KEYS)?.toLowerCase();
}

export function eventMessage(event: EventRecord): string {
  return firstString(event, MESSAGE_KEYS) ?? '';
}

export function eventSource(event: EventRecord): string | undefined {
  return firstString(event, SOURCE_KEYS);
}

/**
 * The event's time as an ISO string; `tsMs` (epoch milliseconds) is converted. A number no date
 * can hold (`1e300`) is returned as it is written, so that one odd event is shown, not fatal.
 */
export function eventTime(event: EventRecord): string | undefined {
  for (const key of TIME_KEYS) {
    const value = event[key];
    if (typeof value === 'number' && Number.isFinite(value)) return isoFromEpochMs(value) ?? String(value);
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
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
