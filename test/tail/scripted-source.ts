/**
 * A scripted stand-in for the service, to drive the tail engine without sockets: each `open`
 * is answered by the test's handler with a body made of chunks, errors, a clean end or a hang.
 */
import type { EventRecord } from '../../src/model/event-record.js';
import type { TailItem } from '../../src/tail/items.js';
import {
  type EventFrames,
  type HistoryRange,
  interpretQueryTailFrame,
  type OpenedStream,
  QUERY_TAIL_EVENT_FRAMES,
  type TailHistory,
  type TailSource,
} from '../../src/tail/source.js';

export type Step = string | Uint8Array | Error | { hang: true };

/** A body yielding the steps in order: chunks (text or bytes), then an error or a hang until aborted. */
export function scriptedBody(steps: readonly Step[], signal: AbortSignal): OpenedStream['body'] {
  const encoder = new TextEncoder();
  return (async function* () {
    for (const step of steps) {
      if (signal.aborted) throw signal.reason;
      if (typeof step === 'string') yield encoder.encode(step);
      else if (step instanceof Uint8Array) yield step;
      else if (step instanceof Error) throw step;
      else
        await new Promise((_, reject) => {
          if (signal.aborted) reject(signal.reason);
          signal.addEventListener('abort', () => reject(signal.reason), { once: true });
        });
    }
  })();
}

export function ok(steps: readonly Step[], signal: AbortSignal): OpenedStream {
  return { status: 200, headers: { 'content-type': 'text/event-stream' }, body: scriptedBody(steps, signal) };
}

export function eventRecord(n: number): EventRecord {
  return {
    event_id: `e${String(n).padStart(6, '0')}`,
    ts: new Date(1_700_000_000_000 + n).toISOString(),
    message: `m${n}`,
  };
}

export function frame(n: number): string {
  return `id: ${n}\ndata: ${JSON.stringify(eventRecord(n))}\n\n`;
}

/** A log of events 1..size that history pages are served from, like `POST /query` ascending. */
export function arrayHistory(size: () => number, calls: HistoryRange[] = []): TailHistory {
  return {
    async newestEventId(_signal, anchor) {
      // The newest event, once `skip` newer ones are left out (and only those from `from` on).
      const from = anchor?.from;
      const matching = Array.from({ length: size() }, (_, i) => eventRecord(i + 1)).filter(
        (e) => from === undefined || (e.ts as string) >= from,
      );
      return matching.at(-1 - (anchor?.skip ?? 0))?.event_id as string | undefined;
    },
    async *pages(range) {
      calls.push(range);
      const all = Array.from({ length: size() }, (_, i) => eventRecord(i + 1));
      const selected = all.filter((e) =>
        range.kind === 'from'
          ? (e.ts as string) >= range.ts
          : (range.from === undefined || (e.ts as string) >= range.from) &&
            (range.eventId === undefined ||
              (e.event_id as string) > range.eventId ||
              (range.orFromTs !== undefined && (e.ts as string) >= range.orFromTs)),
      );
      for (let i = 0; i < selected.length; i += 3) yield selected.slice(i, i + 3);
    },
  };
}

export function scriptedSource(
  handler: (
    lastEventId: string | undefined,
    signal: AbortSignal,
    attempt: number,
  ) => Promise<OpenedStream> | OpenedStream,
  history?: TailHistory,
  /** As `POST /query/tail` by default: event frames checked as bytes; undefined parses them all. */
  eventFrames: EventFrames | undefined = QUERY_TAIL_EVENT_FRAMES,
): TailSource & { opens: (string | undefined)[] } {
  const opens: (string | undefined)[] = [];
  return {
    url: 'http://scripted/query/tail',
    opens,
    open: async (lastEventId, signal) => {
      opens.push(lastEventId);
      return handler(lastEventId, signal, opens.length);
    },
    interpret: interpretQueryTailFrame,
    eventFrames,
    history,
  };
}

/** Runs the items to the end (or the first thrown error), collecting them. */
export async function collect(
  items: AsyncIterable<TailItem>,
): Promise<{ items: TailItem[]; error?: unknown }> {
  const seen: TailItem[] = [];
  try {
    for await (const item of items) seen.push(item);
    return { items: seen };
  } catch (error) {
    return { items: seen, error };
  }
}

export function messages(items: readonly TailItem[]): string[] {
  return items.flatMap((item) =>
    item.kind === 'batch' ? item.events.map((e) => String(e.event.message)) : [],
  );
}
