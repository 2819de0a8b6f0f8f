/**
 * The tail's source for any SSE log stream (`sotail tail --url URL`): `GET` through the one API
 * client (which sends the profile's token only to the profile's own origin), `Last-Event-ID` to
 * resume, and frames read by stream-shapes.ts, so that proxy-log entries, audit-log rows and
 * native events all tail the same way. Such a stream has no query API: a hole it reports is named,
 * not filled.
 */
import type { ApiClient } from '../api/client.js';
import type { FrameMeaning, TailSource } from './source.js';
import { classifyFrame, displayRecord, isNativeEvent, isRecord } from './stream-shapes.js';

/** What a frame of an arbitrary log stream means to the engine. */
export function interpretShapedFrame(event: string, parsed: unknown): FrameMeaning {
  // The common case, and the hot path of a firehose: a native event, taken as it is.
  if ((event === 'message' || event === 'audit-log') && isRecord(parsed) && isNativeEvent(parsed)) {
    return { kind: 'event', record: parsed };
  }
  // The engine names an unnamed frame `message`, the SSE default.
  const frame = classifyFrame(event === 'message' ? undefined : event, parsed);
  switch (frame.kind) {
    case 'event': {
      const display = displayRecord(frame);
      return display === frame.record
        ? { kind: 'event', record: frame.record }
        : { kind: 'event', record: frame.record, display };
    }
    case 'control':
      if (frame.control === 'gap') return { kind: 'gap', after: frame.after, resumedFrom: frame.resumedFrom };
      return { kind: frame.control, detail: frame.reason };
    case 'ignore':
      // A log frame whose data is not an object is counted as skipped; unknown names are not logs.
      return frame.reason.startsWith('data ') ? { kind: 'invalid' } : { kind: 'ignore' };
  }
}

/** `headers` are sent as given on every connection (`--header 'K: V'`). */
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
        headers: lastEventId ? { ...headers, 'last-event-id': lastEventId } : { ...headers },
        signal,
      }),
    interpret: interpretShapedFrame,
  };
}
