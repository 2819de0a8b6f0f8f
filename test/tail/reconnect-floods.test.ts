/**
 * Whatever a server sends, one tail never hits it more than about once a second (docs/tail.md,
 * "Floors and ceilings"): each hostile answer is replayed on every connection for a minute of
 * simulated time, and the requests are counted per simulated second. Timers are vitest's fake
 * ones; nothing sleeps.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { abortableSleep, MAX_SERVER_WAIT_MS } from '../../src/api/retry.js';
import { ApiError } from '../../src/errors.js';
import { MIN_CONNECT_INTERVAL_MS } from '../../src/tail/backoff.js';
import { openTail } from '../../src/tail/engine.js';
import type { TailItem } from '../../src/tail/items.js';
import type { OpenedStream, TailHistory } from '../../src/tail/source.js';
import { decoderUnderTest } from './decoder-under-test.js';
import { collect, eventRecord, frame, ok, scriptedSource } from './scripted-source.js';

const MINUTE = 60_000;
const cut = (): Error => Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
const apiError = (status: number, code: string, retryAfterMs?: number) =>
  new ApiError({ status, code, message: code, url: 'http://scripted/query/tail', extra: {}, retryAfterMs });
const RESET = 'event: reset\ndata: {"reason":"server_restart"}\n\n';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

/** The most times that fall in any one second, [t, t + 1 s). */
function mostInOneSecond(times: readonly number[]): number {
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while ((times[i] as number) - (times[j] as number) >= 1_000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

/** A history whose every request is recorded by `count` (and which may fail). */
function countedHistory(count: () => void, fail?: () => Error): TailHistory {
  return {
    async newestEventId() {
      count();
      if (fail) throw fail();
      return 'e000000';
    },
    async *pages() {
      count();
      if (fail) throw fail();
      yield [];
    },
  };
}

interface Flood {
  connections: number[];
  requests: number[];
  items: TailItem[];
  error?: unknown;
}

/** Runs a tail against `answer` (on every connection) for a simulated minute. */
async function flood(
  answer: (signal: AbortSignal, attempt: number) => OpenedStream,
  /** `random` 0 by default: every backoff at its shortest, the worst case for a server. */
  options: { history?: 'none' | 'ok' | 'failing'; since?: string; random?: number } = {},
): Promise<Flood> {
  const connections: number[] = [];
  const requests: number[] = [];
  const controller = new AbortController();
  const count = (): void => {
    requests.push(Date.now());
    // A tail that floods without ever waiting on a timer would never let the fake clock move.
    if (requests.length > 5_000) controller.abort(new Error('flooding'));
  };
  const history =
    options.history === 'ok'
      ? countedHistory(count)
      : options.history === 'failing'
        ? countedHistory(count, () => apiError(503, 'unavailable', 0))
        : undefined;
  const source = scriptedSource((_id, signal, attempt) => {
    connections.push(Date.now());
    count();
    return answer(signal, attempt);
  }, history);
  const done = collect(
    openTail({
      source,
      signal: controller.signal,
      now: () => Date.now(),
      random: () => options.random ?? 0,
      decoder: decoderUnderTest(),
      since: options.since,
    }),
  );
  await vi.advanceTimersByTimeAsync(MINUTE);
  controller.abort(new Error('the test is over'));
  const run = await done;
  requests.sort((a, b) => a - b);
  return { connections, requests, ...run };
}

const refuse = (error: Error) => (): OpenedStream => {
  throw error;
};

describe('one connection a second at most, whatever the server answers', () => {
  test.each<[string, (signal: AbortSignal, attempt: number) => OpenedStream]>([
    ['retry: 0, then a clean end', (signal) => ok(['retry: 0\n\n'], signal)],
    ['retry: 0, then a cut', (signal) => ok(['retry: 0\n\n', cut()], signal)],
    ['an accepted connection closed at once', (signal) => ok([], signal)],
    ['event: reset on every connection', (signal) => ok([RESET], signal)],
    ['one event, then a normal end, every time', (signal, n) => ok([frame(n)], signal)],
    ['the same event (and id) on every connection', (signal) => ok([frame(1)], signal)],
    ['503 with Retry-After: 0', refuse(apiError(503, 'unavailable', 0))],
    ['429 with Retry-After: 0', refuse(apiError(429, 'rate_limited', 0))],
    ['a 500', refuse(apiError(500, 'internal'))],
  ])('%s', async (_what, answer) => {
    const run = await flood(answer);
    expect(run.error).toBeUndefined();
    expect(run.connections.length).toBeGreaterThan(1);
    expect(mostInOneSecond(run.connections)).toBe(1);
    expect(run.connections.length).toBeLessThanOrEqual(MINUTE / MIN_CONNECT_INTERVAL_MS + 1);
  });

  test('event: reset on every connection of a stream with history: the backoff grows', async () => {
    const run = await flood((signal) => ok([RESET], signal), { history: 'ok', random: 0.5 });
    expect(mostInOneSecond(run.requests)).toBeLessThanOrEqual(3);
    // Resets that get nowhere are failures: the waits grow instead of staying at the floor.
    const waits = run.items.flatMap((item) => (item.kind === 'reconnecting' ? [item.delayMs] : []));
    expect(Math.max(...waits)).toBeGreaterThan(MIN_CONNECT_INTERVAL_MS);
    expect(run.connections.length).toBeLessThan(30);
  });

  test('a gap on every connection: one history request per connection', async () => {
    const gap = 'event: gap\ndata: {"after":"1","resumed_from":"9"}\n\n';
    const run = await flood((signal) => ok([frame(1), gap], signal), { history: 'ok' });
    expect(mostInOneSecond(run.connections)).toBe(1);
    // The first second also finds "now" and fetches what came since: four requests at most.
    expect(mostInOneSecond(run.requests)).toBeLessThanOrEqual(4);
    const start = run.requests[0] as number;
    expect(mostInOneSecond(run.requests.filter((at) => at >= start + 1_000))).toBeLessThanOrEqual(2);
  });

  test('a history that fails on every connection (the anchor, a backfill)', async () => {
    const run = await flood((signal) => ok([frame(1)], signal), { history: 'failing' });
    expect(run.requests.length).toBeGreaterThan(1);
    expect(mostInOneSecond(run.requests)).toBe(1);
    const since = await flood((signal) => ok([frame(1)], signal), {
      history: 'failing',
      since: eventRecord(0).ts as string,
    });
    expect(mostInOneSecond(since.requests)).toBeLessThanOrEqual(2);
  });

  test('204: one request, and the tail ends', async () => {
    const run = await flood((signal) => ({ ...ok([], signal), status: 204 }));
    expect(run.connections).toHaveLength(1);
    expect(run.items.at(-1)).toMatchObject({ kind: 'ended', reason: 'server-stop' });
  });
});

describe('every wait has a ceiling', () => {
  test.each([
    ['2147484 s (past what a Node timer holds)', 2_147_484_000, '24d21h'],
    ['999999 s', 999_999_000, '11d14h'],
    ['2^53 ms', Number.MAX_SAFE_INTEGER, 'd'],
  ])('Retry-After: %s is cut to 5 minutes, and the line says so', async (_what, retryAfterMs, shown) => {
    const run = await flood(refuse(apiError(503, 'unavailable', retryAfterMs)));
    expect(run.connections).toHaveLength(1);
    const wait = run.items.find((item) => item.kind === 'reconnecting');
    expect(wait).toMatchObject({ kind: 'reconnecting' });
    if (wait?.kind !== 'reconnecting') return;
    expect(wait.delayMs).toBeGreaterThanOrEqual(MAX_SERVER_WAIT_MS);
    expect(wait.delayMs).toBeLessThanOrEqual(MAX_SERVER_WAIT_MS + 1_000);
    expect(wait.limit).toContain(`the server asked to wait `);
    expect(wait.limit).toContain(shown);
    expect(wait.limit).toContain('sotail waits at most 5m');
  });

  test('a Retry-After under the ceiling is honoured, and said in words', async () => {
    const run = await flood(refuse(apiError(429, 'rate_limited', 7_000)));
    const waits = run.items.flatMap((item) => (item.kind === 'reconnecting' ? [item] : []));
    expect(waits[0]).toMatchObject({ delayMs: 7_000, limit: 'the server asked to wait 7s' });
  });

  test('no sleep is ever longer than a Node timer holds', async () => {
    const timer = vi.spyOn(globalThis, 'setTimeout');
    const controller = new AbortController();
    const sleeping = abortableSleep(2 ** 40, controller.signal).catch(() => 'aborted');
    expect(timer.mock.calls.at(-1)?.[1]).toBeLessThanOrEqual(2 ** 31 - 1);
    controller.abort();
    expect(await sleeping).toBe('aborted');
  });
});
