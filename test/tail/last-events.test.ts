/**
 * `--tail N`: the newest N matching events first, in the log's order, then live from exactly after
 * them. Driven by a scripted log that keeps growing while the tail starts: whatever arrives between
 * the history request, the stream opening and the backfill, every event comes once.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { openTail, type TailOptions } from '../../src/tail/engine.js';
import type { HistoryRange } from '../../src/tail/source.js';
import { decoderUnderTest } from './decoder-under-test.js';
import {
  arrayHistory,
  collect,
  eventRecord,
  frame,
  messages,
  ok,
  scriptedSource,
} from './scripted-source.js';

const noSleep = async (): Promise<void> => {};
/** A tail whose backoff waits return at once, collected to its end. */
const tailOf = (options: Omit<TailOptions, 'signal'>) =>
  collect(
    openTail({
      signal: new AbortController().signal,
      sleep: noSleep,
      decoder: decoderUnderTest(),
      ...options,
    }),
  );
const range = (from: number, to: number): string[] =>
  Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => `m${from + i}`);

/**
 * A log of `before` events when the tail starts; `meanwhile` more arrive before the stream opens,
 * which starts `overlap` events before its "now" (as a stream that sends the newest event again
 * would), then sends `live` new ones and stays open.
 */
function growingLog(before: number, meanwhile: number, overlap: number, live: number) {
  let size = before;
  const calls: HistoryRange[] = [];
  const source = scriptedSource(
    (lastEventId, signal) => {
      if (lastEventId !== undefined) return ok([{ hang: true }], signal);
      size = before + meanwhile;
      const now = size;
      size += live;
      let text = '';
      for (let n = Math.max(1, now + 1 - overlap); n <= now + live; n += 1) text += frame(n);
      return ok([text, { hang: true }], signal);
    },
    arrayHistory(() => size, calls),
  );
  return { source, calls };
}

describe('tail --tail N', () => {
  test('the newest N first, oldest of them first, then what came since and the live events', async () => {
    const { source, calls } = growingLog(10, 2, 1, 3);
    const result = await tailOf({
      source,
      last: 3,
      maxEvents: 8,
    });
    expect(result.error).toBeUndefined();
    expect(messages(result.items)).toEqual(range(8, 15));
    // One walk, after the event before the last three.
    expect(calls).toEqual([{ kind: 'after', eventId: eventRecord(7).event_id, from: undefined }]);
  });

  test('fewer matching events than N: all of them, then live', async () => {
    const { source } = growingLog(2, 0, 0, 2);
    const result = await tailOf({
      source,
      last: 50,
      maxEvents: 4,
    });
    expect(messages(result.items)).toEqual(range(1, 4));
  });

  test('with --since: the newest N of the events from then on', async () => {
    const { source } = growingLog(10, 0, 0, 1);
    // eventRecord(n) is n ms after the epoch base: from event 6 on.
    const since = eventRecord(6).ts as string;
    const three = await tailOf({
      source,
      last: 3,
      since,
      maxEvents: 4,
    });
    expect(messages(three.items)).toEqual(range(8, 11));
    const { source: again } = growingLog(10, 0, 0, 1);
    const many = await tailOf({
      source: again,
      last: 100,
      since,
      maxEvents: 6,
    });
    expect(messages(many.items)).toEqual(range(6, 11));
  });

  test('any log, any N, any arrivals at the seam: every event once, in order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(30),
        fc.nat(40),
        fc.nat(5),
        fc.nat(3),
        fc.integer({ min: 1, max: 5 }),
        async (before, last, meanwhile, overlap, live) => {
          const { source } = growingLog(before, meanwhile, overlap, live);
          const first = Math.max(1, before - last + 1);
          const expected = range(first, before + meanwhile + live);
          const result = await tailOf({
            source,
            last,
            maxEvents: expected.length,
          });
          expect(result.error).toBeUndefined();
          expect(messages(result.items)).toEqual(expected);
        },
      ),
    );
  });
});
