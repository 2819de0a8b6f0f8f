/**
 * The tail's source for any SSE log endpoint (`sotail tail --url`): a GET with the user's
 * headers, frames read by their stream's shape (src/tail/stream-shapes.ts). Such a stream has no
 * query API behind it, so a hole it reports is named, not filled. The profile's token goes only
 * to the profile's own origin (ApiClient.openStream); `--header 'Authorization: …'` sends another.
 */
import type { ApiClient } from '../api/client.js';
import { displayRecord, type EventRecord } from '../model/event-record.js';
import type { EventFrames, FrameMeaning, TailSource } from './source.js';
import { classifyFrame, LOG_EVENT_NAMES } from './stream-shapes.js';

export function urlTailSource(
  client: ApiClient,
  url: string,
  headers: Readonly<Record<string, string>>,
): TailSource {
  return {
    url,
    open: (lastEventId, signal) =>
      client.openStream({
        method: 'GET',
        url,
        headers: { ...headers, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
        signal,
      }),
    interpret: interpretShapedFrame,
    eventFrames: SHAPED_EVENT_FRAMES,
  };
}

/** Log-event frames of any stream: a JSON object under one of their names is an event. */
export const SHAPED_EVENT_FRAMES: EventFrames = { names: LOG_EVENT_NAMES, display: displayShaped };

/** Any stream's frame, by name and shape: log events in their common fields, the three controls. */
export function interpretShapedFrame(event: string, parsed: unknown): FrameMeaning {
  // The hot path of a firehose: an event is classified by its name alone, and mapped to the
  // common fields only if a renderer reads it (pretty lines do; NDJSON does not).
  if (LOG_EVENT_NAMES.has(event) && parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
    return { kind: 'event', record: parsed as EventRecord, display: displayShaped };
  }
  const frame = classifyFrame(event, parsed);
  if (frame.kind === 'event') return { kind: 'event', record: frame.record, display: displayShaped };
  if (frame.kind === 'ignore') {
    // A log-event frame whose data is no event is worth counting; an unknown frame name is not.
    return frame.why === 'unknown-name' ? { kind: 'ignore' } : { kind: 'invalid' };
  }
  switch (frame.control) {
    case 'gap':
      return { kind: 'gap', after: frame.after, resumedFrom: frame.resumedFrom };
    case 'reset':
      return { kind: 'reset', detail: frame.reason };
    case 'scope-destroyed':
      return { kind: 'scope-destroyed', detail: frame.reason };
  }
}

/** `Name: value` from `--header`; throws a message naming the problem. */
export function parseHeaderFlag(text: string): [string, string] {
  const colon = text.indexOf(':');
  const name = colon === -1 ? '' : text.slice(0, colon).trim();
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
    throw new Error(`--header takes 'Name: value', got '${text}'`);
  }
  const value = text.slice(colon + 1).trim();
  if (/[\r\n\0]/.test(value)) throw new Error(`--header ${name}: the value may not contain line breaks`);
  return [name.toLowerCase(), value];
}

function displayShaped(record: EventRecord): EventRecord {
  return displayRecord(record);
}
