/**
 * The tail engine's state machine, driven by scripted streams: resume, watchdog, backoff, limits,
 * holes and their backfill. Timers are vitest's fake ones; nothing sleeps.
 */
import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { ApiError, NetworkError } from '../../src/errors.js';
import { formatNdjsonBatch } from '../../src/output/format-ndjson.js';
import { MIN_CONNECT_INTERVAL_MS } from '../../src/tail/backoff.js';
import { openTail, type TailOptions } from '../../src/tail/engine.js';
import type { FrameDecoderFactory } from '../../src/tail/frame-decoder.js';
import type { TailItem } from '../../src/tail/items.js';
import { type HistoryRange, QUERY_TAIL_EVENT_FRAMES } from '../../src/tail/source.js';
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
const cutError = (): Error => Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
const range = (from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => `m${from + i}`);
const apiError = (status: number, code: string, extra: Record<string, unknown> = {}, retryAfterMs?: number) =>
  new ApiError({ status, code, message: code, url: 'http://scripted/query/tail', extra, retryAfterMs });

/** A tail whose backoff waits return at once (tests of what is delivered, not of when). */
function tail(options: Partial<TailOptions> & Pick<TailOptions, 'source'>) {
  return openTail({
    signal: new AbortController().signal,
    sleep: noSleep,
    decoder: decoderUnderTest(),
    ...options,
  });
}

/** A tail that really waits, on the fake clock, collected in the background. */
function timedTail(options: Partial<TailOptions> & Pick<TailOptions, 'source'>) {
  return collect(openTail({ signal: new AbortController().signal, decoder: decoderUnderTest(), ...options }));
}

afterEach(() => {
  vi.useRealTimers();
});

describe.each([
  ['checked as bytes', QUERY_TAIL_EVENT_FRAMES],
  ['parsed on arrival', undefined],
])('resume, event frames %s', (_how, eventFrames) => {
  test('any chunking and any cut points: every event exactly once, in order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 30 }),
        fc.array(fc.nat(3_000), { maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        async (total, cuts, chunkSizes, cleanEnds) => {
          const source = scriptedSource(
            (lastEventId, signal, attempt) => {
              const after = Number(lastEventId ?? 0);
              let text = '';
              for (let n = after + 1; n <= total; n += 1) text += frame(n);
              const cut = cuts[attempt - 1];
              const bytes = new TextEncoder().encode(
                cut === undefined ? text : text.slice(0, cut % (text.length + 1)),
              );
              const decoded = new TextDecoder().decode(bytes);
              const chunks: string[] = [];
              for (let i = 0, k = 0; i < decoded.length; k += 1) {
                const size = chunkSizes[k % chunkSizes.length]!;
                chunks.push(decoded.slice(i, i + size));
                i += size;
              }
              const end = cut === undefined || cleanEnds ? [] : [cutError()];
              return ok([`retry: 5\n\n`, ...chunks, ...end], signal);
            },
            undefined,
            eventFrames,
          );
          const run = await collect(tail({ source, resumeFrom: '0', maxEvents: total }));
          expect(run.error).toBeUndefined();
          expect(messages(run.items)).toEqual(range(1, total));
          // Each reconnect resumed after the last event delivered before it.
          const delivered = new Set(['0', ...Array.from({ length: total }, (_, i) => String(i + 1))]);
          for (const id of source.opens) expect(delivered.has(id!)).toBe(true);
        },
      ),
    );
  });
});

describe('resume', () => {
  test('Last-Event-ID is the last event taken by the consumer, not the last one read', async () => {
    const source = scriptedSource((lastEventId, signal, attempt) =>
      attempt === 1 ? ok([frame(1) + frame(2), frame(3), cutError()], signal) : ok([frame(4)], signal),
    );
    const iterator = tail({ source, resumeFrom: '0', maxEvents: 4 })[Symbol.asyncIterator]();
    const seen: TailItem[] = [];
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) seen.push(r.value);
    expect(messages(seen)).toEqual(range(1, 4));
    expect(source.opens).toEqual(['0', '3']);
  });

  test('an id-less frame keeps the previous id, and frames whose data is not JSON are skipped and counted', async () => {
    const source = scriptedSource((_id, signal, attempt) =>
      attempt === 1
        ? ok([`${frame(1)}data: not json\n\ndata: ${JSON.stringify(eventRecord(2))}\n\n`, cutError()], signal)
        : ok([frame(3)], signal),
    );
    const stream = tail({ source, resumeFrom: '0', maxEvents: 3 });
    const run = await collect(stream);
    expect(messages(run.items)).toEqual(range(1, 3));
    expect(source.opens).toEqual(['0', '1']);
    expect(stream.counters.skipped).toBe(1);
    expect(run.items).toContainEqual(expect.objectContaining({ kind: 'notice', level: 'warn' }));
  });

  test('a normal end resumes silently, no sooner than the floor after the last attempt; --count ends with every event written', async () => {
    const source = scriptedSource((_id, signal, attempt) =>
      ok(attempt === 1 ? [frame(1) + frame(2)] : [frame(3) + frame(4)], signal),
    );
    const run = await collect(tail({ source, resumeFrom: '0', maxEvents: 3, now: () => 0 }));
    expect(messages(run.items)).toEqual(range(1, 3));
    // The connection lasted no time at all (a scripted one): the floor between attempts applies.
    expect(run.items).toContainEqual(
      expect.objectContaining({ kind: 'reconnecting', delayMs: MIN_CONNECT_INTERVAL_MS, silent: true }),
    );
    expect(run.items.at(-1)).toEqual({ kind: 'ended', reason: 'count' });
  });
});

describe('watchdog and backoff (fake timers)', () => {
  test('no byte for the heartbeat timeout drops the connection and resumes', async () => {
    vi.useFakeTimers();
    const source = scriptedSource((_id, signal, attempt) =>
      attempt === 1 ? ok([frame(1), ':heartbeat\n\n', { hang: true }], signal) : ok([frame(2)], signal),
    );
    const done = timedTail({
      source,
      resumeFrom: '0',
      maxEvents: 2,
      heartbeatTimeoutMs: 1_000,
      random: () => 0,
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(source.opens).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    const run = await done;
    expect(run.items).toContainEqual({ kind: 'stale', silentMs: 1_000 });
    expect(source.opens).toEqual(['0', '1']);
    expect(messages(run.items)).toEqual(['m1', 'm2']);
  });

  test('heartbeats alone keep a quiet connection alive', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const beats = Array.from({ length: 20 }, () => ':heartbeat\n\n');
    const source = scriptedSource((_id, signal) => ok([{ hang: true }], signal));
    let beat = 0;
    source.open = async (lastEventId, signal) => {
      source.opens.push(lastEventId);
      const encoder = new TextEncoder();
      const body = (async function* () {
        for (const text of beats) {
          await new Promise((r) => setTimeout(r, 900));
          beat += 1;
          yield encoder.encode(text);
        }
        await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
      })();
      return { status: 200, headers: {}, body };
    };
    const done = collect(
      openTail({ source, signal: controller.signal, heartbeatTimeoutMs: 1_000, decoder: decoderUnderTest() }),
    );
    await vi.advanceTimersByTimeAsync(900 * 20);
    expect(beat).toBe(20);
    controller.abort(new Error('user quit'));
    const run = await done;
    expect(source.opens).toHaveLength(1);
    expect(run.items.filter((i) => i.kind === 'stale')).toEqual([]);
    expect(run.items.at(-1)).toEqual({ kind: 'ended', reason: 'aborted' });
  });

  test('failures back off with full jitter, doubling from retry: (at least 1 s) to the cap; progress resets it', async () => {
    vi.useFakeTimers();
    const failures = 7;
    const source = scriptedSource((_id, signal, attempt) => {
      if (attempt <= failures) throw new NetworkError('connect ECONNREFUSED', 'http://scripted');
      if (attempt === failures + 1) return ok(['retry: 1500\n\n', frame(1), cutError()], signal);
      if (attempt === failures + 2) throw new NetworkError('connect ECONNREFUSED', 'http://scripted');
      return ok([frame(2)], signal);
    });
    const done = timedTail({
      source,
      resumeFrom: '0',
      maxEvents: 2,
      random: () => 0.999_999,
      maxBackoffMs: 5_000,
    });
    await vi.advanceTimersByTimeAsync(60_000);
    const run = await done;
    const delays = run.items.flatMap((i) => (i.kind === 'reconnecting' ? [i.delayMs] : []));
    expect(delays).toEqual([1_000, 2_000, 4_000, 5_000, 5_000, 5_000, 5_000, 1_500, 3_000]);
    expect(messages(run.items)).toEqual(['m1', 'm2']);
  });

  test('Retry-After is honoured on 429 and 503', async () => {
    vi.useFakeTimers();
    const source = scriptedSource((_id, signal, attempt) => {
      if (attempt === 1) throw apiError(503, 'unavailable', {}, 7_000);
      if (attempt === 2) throw apiError(429, 'rate_limited', {}, 2_000);
      return ok([frame(1)], signal);
    });
    const done = timedTail({
      source,
      resumeFrom: '0',
      maxEvents: 1,
      random: () => 0,
    });
    await vi.advanceTimersByTimeAsync(6_999);
    expect(source.opens).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1 + 2_000);
    const run = await done;
    expect(run.items.flatMap((i) => (i.kind === 'reconnecting' ? [i.delayMs] : []))).toEqual([7_000, 2_000]);
    expect(source.opens).toHaveLength(3);
  });

  test('--max-retries bounds consecutive failures and reports the last error', async () => {
    const refused = new NetworkError('connect ECONNREFUSED', 'http://scripted');
    const source = scriptedSource(() => {
      throw refused;
    });
    const run = await collect(tail({ source, maxRetries: 3 }));
    expect(run.error).toBe(refused);
    expect(source.opens).toHaveLength(4);
  });
});

describe('answers that stop the tail, or do not', () => {
  test('429 tail_session_limit_exceeded on the first connection stops with the error', async () => {
    const limit = apiError(429, 'tail_session_limit_exceeded', { limit: 3, active: 3 });
    const run = await collect(tail({ source: scriptedSource(() => Promise.reject(limit)) }));
    expect(run.error).toBe(limit);
  });

  test('the same 429 on a reconnect waits for a slot', async () => {
    const source = scriptedSource((_id, signal, attempt) => {
      if (attempt === 1) return ok([frame(1), cutError()], signal);
      if (attempt <= 3) throw apiError(429, 'tail_session_limit_exceeded', { limit: 3, active: 3 });
      return ok([frame(2)], signal);
    });
    const run = await collect(tail({ source, resumeFrom: '0', maxEvents: 2 }));
    expect(messages(run.items)).toEqual(['m1', 'm2']);
    const waits = run.items.filter((i) => i.kind === 'reconnecting' && i.limit?.includes('at most 3 tails'));
    expect(waits).toHaveLength(2);
  });

  test.each([
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [402, 'tier_upgrade_required'],
    [400, 'soql_tail_aggregation_unsupported'],
  ])('%i %s stops at once', async (status, code) => {
    const error = apiError(status, code);
    const source = scriptedSource(() => Promise.reject(error));
    const run = await collect(tail({ source }));
    expect(run.error).toBe(error);
    expect(source.opens).toHaveLength(1);
  });

  test('204 ends the tail without reconnecting; scope-destroyed ends it with the reason', async () => {
    const stop = await collect(
      tail({ source: scriptedSource((_id, signal) => ({ ...ok([], signal), status: 204 })) }),
    );
    expect(stop.items.at(-1)).toMatchObject({ kind: 'ended', reason: 'server-stop' });
    const source = scriptedSource((_id, signal) =>
      ok([`${frame(1)}event: scope-destroyed\ndata: {"reason":"token_revoked"}\n\n`], signal),
    );
    const revoked = await collect(tail({ source, resumeFrom: '0' }));
    expect(messages(revoked.items)).toEqual(['m1']);
    expect(revoked.items.at(-1)).toEqual({
      kind: 'ended',
      reason: 'scope-destroyed',
      detail: 'token_revoked',
    });
  });

  test('aborting the signal ends with `aborted`, whatever the engine was doing', async () => {
    const controller = new AbortController();
    const source = scriptedSource((_id, signal) => ok([frame(1), { hang: true }], signal));
    const stream = openTail({
      source,
      signal: controller.signal,
      resumeFrom: '0',
      decoder: decoderUnderTest(),
    });
    const seen: TailItem[] = [];
    for await (const item of stream) {
      seen.push(item);
      if (item.kind === 'batch') controller.abort(new Error('quit'));
    }
    expect(seen.at(-1)).toEqual({ kind: 'ended', reason: 'aborted' });
  });
});

describe('holes', () => {
  test('event: gap is filled from history after the last delivered event, and the replay overlap is dropped', async () => {
    let size = 10;
    const calls: HistoryRange[] = [];
    const source = scriptedSource(
      (_id, signal, attempt) => {
        if (attempt === 1) return ok([frame(1) + frame(2), cutError()], signal);
        // The server's window only reaches back to 7: events 3..6 are the hole; 7..10 are replayed.
        return ok(
          [
            `event: gap\ndata: {"after":"2","resumed_from":"7"}\n\n`,
            frame(7) + frame(8),
            frame(9) + frame(10) + frame(11),
          ],
          signal,
        );
      },
      arrayHistory(() => size, calls),
    );
    const stream = tail({ source, resumeFrom: '0', maxEvents: 11 });
    const run = await collect(stream);
    expect(messages(run.items)).toEqual(range(1, 11));
    expect(calls).toEqual([{ kind: 'after', eventId: 'e000002' }]);
    expect(stream.counters.gapsBackfilled).toBe(1);
    expect(stream.counters.duplicates).toBe(4);
    size = 0;
  });

  test('event: reset drops the cursor and backfills after the last event (by id and by ts)', async () => {
    const calls: HistoryRange[] = [];
    const source = scriptedSource(
      (lastEventId, signal, attempt) => {
        if (attempt === 1) return ok([frame(1) + frame(2), cutError()], signal);
        if (attempt === 2) return ok(['event: reset\ndata: {"reason":"server_restart"}\n\n'], signal);
        expect(lastEventId).toBeUndefined();
        return ok([frame(6)], signal);
      },
      arrayHistory(() => 5, calls),
    );
    const run = await collect(tail({ source, resumeFrom: '0', maxEvents: 6 }));
    expect(messages(run.items)).toEqual(range(1, 6));
    expect(calls).toEqual([{ kind: 'after', eventId: 'e000002', orFromTs: eventRecord(2).ts }]);
    expect(run.items).toContainEqual({ kind: 'gap', reason: 'reset' });
  });

  test('a reconnect before any cursor is known fetches what came since the start ("now" is anchored)', async () => {
    let size = 3;
    const calls: HistoryRange[] = [];
    const source = scriptedSource(
      (lastEventId, signal, attempt) => {
        expect(lastEventId).toBeUndefined();
        if (attempt === 1) {
          size = 5; // two events arrive while connecting; the connection then dies mid-frame
          return ok([frame(6).slice(0, 20), cutError()], signal);
        }
        return ok([frame(6)], signal);
      },
      arrayHistory(() => size, calls),
    );
    const run = await collect(tail({ source, maxEvents: 3 }));
    expect(messages(run.items)).toEqual(['m4', 'm5', 'm6']);
    // The first connection's anchor walk delivered 4 and 5; the second resumes history after 5.
    expect(calls).toEqual([
      { kind: 'after', eventId: 'e000003' },
      { kind: 'after', eventId: 'e000005' },
    ]);
  });

  test('--since: history first, then live, nothing twice', async () => {
    const source = scriptedSource(
      (_id, signal) => ok([frame(4) + frame(5) + frame(6)], signal),
      arrayHistory(() => 5),
    );
    const run = await collect(tail({ source, since: eventRecord(2).ts as string, maxEvents: 5 }));
    expect(messages(run.items)).toEqual(range(2, 6));
  });

  test('without a history API, a reconnect before the first event id says what may be missing, once a hole', async () => {
    const source = scriptedSource((_id, signal, attempt) => {
      // Ends before any event id: the next connection starts at "now", and the time between is lost.
      if (attempt === 1) return ok([':hi\n\n', cutError()], signal);
      // A reset before any event tells its own hole: the connection after it says no more.
      if (attempt === 2) return ok(['event: reset\ndata: {}\n\n'], signal);
      return ok([frame(1)], signal);
    });
    const run = await collect(tail({ source, maxEvents: 1 }));
    const said = run.items.flatMap((item) => (item.kind === 'missing' ? [item.detail] : []));
    expect(said).toEqual([
      expect.stringMatching(
        /^the connection ended before the first event id, and this stream has no history API/,
      ),
      expect.stringMatching(/^the server was reset/),
    ]);
    expect(messages(run.items)).toEqual(['m1']);
    expect(source.opens).toEqual([undefined, undefined, undefined]);
  });

  test('a gap without a history API is reported as missing, with the range', async () => {
    const source = scriptedSource((_id, signal) =>
      ok([`event: gap\ndata: {"after":"2","resumed_from":"7"}\n\n`, frame(7)], signal),
    );
    const run = await collect(tail({ source, resumeFrom: '2', maxEvents: 1 }));
    const missing = run.items.find((i) => i.kind === 'missing');
    expect(missing).toMatchObject({ kind: 'missing' });
    expect(missing && 'detail' in missing ? missing.detail : '').toContain(
      'after cursor 2 and before cursor 7',
    );
    expect(messages(run.items)).toEqual(['m7']);
  });
});

describe('event frames checked as bytes', () => {
  const bytes = (...parts: (string | number[])[]): Uint8Array =>
    Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : Buffer.from(part))));

  test('data that is not JSON, or JSON but no object, is skipped and counted', async () => {
    const source = scriptedSource((_id, signal) =>
      ok([`data: {"a":1,}\n\ndata: [1]\n\ndata: "text"\n\n${frame(1)}`], signal),
    );
    const stream = tail({ source, resumeFrom: '0', maxEvents: 1 });
    const run = await collect(stream);
    expect(messages(run.items)).toEqual(['m1']);
    expect(stream.counters.skipped).toBe(3);
  });

  test('NDJSON writes the bytes that arrived; a multi-line or invalid UTF-8 event as its text on one line', async () => {
    const spaced = '{ "event_id" : "e1", "message" : "spaced é" , "n": 1.50 }';
    const source = scriptedSource((_id, signal) =>
      ok(
        [
          `id: 1\ndata: ${spaced}\n\n`,
          `id: 2\ndata: {"event_id":"e2",\ndata: "message":"two lines"}\n\n`,
          bytes('id: 3\ndata: {"event_id":"e3","message":"bad ', [0xff], '"}\n\n'),
        ],
        signal,
      ),
    );
    const run = await collect(tail({ source, resumeFrom: '0', maxEvents: 3 }));
    const batches = run.items.flatMap((item) => (item.kind === 'batch' ? [item] : []));
    expect(messages(run.items)).toEqual(['spaced é', 'two lines', 'bad \uFFFD']);
    const written = batches.map((batch) => {
      const out = formatNdjsonBatch(batch.events);
      return typeof out === 'string' ? out : Buffer.from(out).toString('utf8');
    });
    expect(written).toEqual([
      `${spaced}\n`,
      '{"event_id":"e2", "message":"two lines"}\n',
      '{"event_id":"e3","message":"bad \uFFFD"}\n',
    ]);
    expect(batches.map((batch) => batch.cursor)).toEqual(['1', '2', '3']);
  });

  test('an event_id hidden by escapes is still found: the replay of a backfilled event is dropped', async () => {
    const source = scriptedSource(
      (_id, signal, attempt) => {
        if (attempt === 1) return ok([frame(1), cutError()], signal);
        const escaped = JSON.stringify(eventRecord(3)).replace('"event_id"', '"event\\u005fid"');
        return ok(
          [`event: gap\ndata: {"after":"1","resumed_from":"3"}\n\n`, `id: 3\ndata: ${escaped}\n\n`, frame(4)],
          signal,
        );
      },
      arrayHistory(() => 3),
    );
    const stream = tail({ source, resumeFrom: '0', maxEvents: 4 });
    const run = await collect(stream);
    expect(messages(run.items)).toEqual(range(1, 4));
    expect(stream.counters.duplicates).toBe(1);
  });

  test('whatever bytes arrive, every NDJSON line written is one valid JSON object in valid UTF-8', async () => {
    const piece = fc.oneof(
      fc.constantFrom(
        'id: 7\n',
        'data: ',
        '\n',
        '\r\n',
        '\r',
        ':hb\n',
        'event: gap\n',
        '{',
        '}',
        '"',
        '\\',
        ',',
      ),
      fc.jsonValue().map((value) => `data: ${JSON.stringify(value)}\n\n`),
      fc.dictionary(fc.string(), fc.jsonValue()).map((value) => `data: ${JSON.stringify(value)}\n\n`),
      fc.string({ unit: 'binary', maxLength: 20 }),
    );
    const stream = fc.tuple(fc.array(piece, { maxLength: 30 }), fc.uint8Array({ maxLength: 40 }), fc.nat());
    await fc.assert(
      fc.asyncProperty(stream, async ([pieces, noise, at]) => {
        const text = Buffer.from(pieces.join(''));
        const cut = at % (text.length + 1);
        const body = Buffer.concat([text.subarray(0, cut), noise, text.subarray(cut), Buffer.from('\n\n')]);
        const source = scriptedSource((_id, signal, attempt) =>
          attempt === 1 ? ok([body], signal) : Promise.reject(apiError(401, 'unauthorized')),
        );
        const run = await collect(tail({ source }));
        for (const item of run.items) {
          if (item.kind !== 'batch') continue;
          const out = formatNdjsonBatch(item.events);
          const bytes = Buffer.from(typeof out === 'string' ? Buffer.from(out) : out);
          expect(isUtf8(bytes)).toBe(true);
          const lines = bytes.toString('utf8').split('\n');
          expect(lines.pop()).toBe('');
          for (const line of lines) {
            const value: unknown = JSON.parse(line);
            expect(value !== null && typeof value === 'object' && !Array.isArray(value)).toBe(true);
          }
        }
      }),
    );
  });
});

describe('the frame decoder seam', () => {
  test('a gap and the replay after it in one read: the hole comes first, nothing twice, in order', async () => {
    const source = scriptedSource(
      (_id, signal, attempt) => {
        if (attempt === 1) return ok([frame(1) + frame(2), cutError()], signal);
        return ok(
          [`event: gap\ndata: {"after":"2","resumed_from":"5"}\n\n${frame(5)}${frame(6)}`, frame(8)],
          signal,
        );
      },
      // History holds 7: the backfill brings 3..7, so the replayed 5 and 6 are the duplicates.
      arrayHistory(() => 7),
    );
    const stream = tail({ source, resumeFrom: '0', maxEvents: 8 });
    const run = await collect(stream);
    expect(messages(run.items)).toEqual(range(1, 8));
    expect(stream.counters.duplicates).toBe(2);
  });

  test('the engine reads every connection through the decoder it is given', async () => {
    const made: string[] = [];
    const decoder: FrameDecoderFactory = (options) => {
      made.push(options.initialId);
      return decoderUnderTest()(options);
    };
    const source = scriptedSource((_id, signal, attempt) =>
      attempt === 1 ? ok([frame(1), cutError()], signal) : ok([frame(2)], signal),
    );
    const run = await collect(tail({ source, resumeFrom: '0', maxEvents: 2, decoder }));
    expect(messages(run.items)).toEqual(['m1', 'm2']);
    expect(made).toEqual(['0', '1']);
  });
});

describe('the link: whether the service is there', () => {
  test('never connected, then live, then lost with the reason; a normal end keeps it live', async () => {
    const controller = new AbortController();
    const refused = new NetworkError('connect ECONNREFUSED', 'http://scripted');
    const source = scriptedSource((_id, signal, attempt) => {
      if (attempt === 1) throw refused;
      if (attempt === 2) return ok([frame(1)], signal);
      if (attempt === 3) return ok([frame(2), cutError()], signal);
      throw refused;
    });
    const stream = tail({ source, resumeFrom: '0', signal: controller.signal, now: () => 0 });
    const states: string[] = [];
    for await (const item of stream) {
      if (item.kind === 'connecting') states.push(`${stream.link.state} ${stream.link.lastFailure ?? ''}`);
      if (item.kind === 'reconnecting' && item.attempt > 2) controller.abort(new Error('enough'));
    }
    expect(states).toEqual([
      'never-connected ',
      'never-connected connect ECONNREFUSED',
      'live ',
      'lost the connection was cut',
    ]);
    expect(stream.link.since).toBe(0);
  });
});
