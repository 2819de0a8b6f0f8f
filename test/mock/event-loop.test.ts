/**
 * No request holds the mock's event loop (docs/api.md "Limits"): compiling a query's regexes,
 * scanning the log for a query and sending a tail all yield by the clock, and a request over a
 * limit is refused before anything is compiled. Counted in event-loop turns and compilations, on a
 * clock the test moves (workClock), never by timing real work.
 */
import { createRequire } from 'node:module';
import type * as Re2js from 're2js';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { EventLog } from '../../src/mock/event-log.js';
import { compileEventFilter } from '../../src/mock/filter.js';
import { scanInSlices, workClock } from '../../src/mock/sliced-scan.js';
import { countTurns } from '../helpers/event-loop-turns.js';
import { numberedEvent } from '../helpers/log-events.js';
import { DEV_TOKEN, startTestMock } from '../helpers/mock-server.js';
import { call, SseReader } from './client.js';

// The CommonJS build, which the SOQL compiler loads: the ESM build is another copy of the module.
const { RE2JS } = createRequire(import.meta.url)('re2js') as typeof Re2js;

afterEach(() => {
  vi.restoreAllMocks();
});

/** A clock that only moves when told: `advance(ms)`. */
function fakeClock(): { advance: (ms: number) => void } {
  let now = 0;
  vi.spyOn(workClock, 'now').mockImplementation(() => now);
  return { advance: (ms) => (now += ms) };
}

/** Counts RE2 compilations of patterns containing `marker`; each one moves `clock` by `costMs`. */
function costlyCompilations(marker: string, clock?: { advance: (ms: number) => void }, costMs = 0) {
  const compile = RE2JS.compile.bind(RE2JS);
  const spy = vi.spyOn(RE2JS, 'compile').mockImplementation((...args: Parameters<typeof compile>) => {
    clock?.advance(costMs);
    return compile(...args);
  });
  return () => spy.mock.calls.filter(([pattern]) => String(pattern).includes(marker)).length;
}

describe('compiling', () => {
  test('a query’s regexes are compiled with the event loop free between them', async () => {
    const clock = fakeClock();
    // Each compilation "takes" 20 ms: over the 10 ms slice, so the compiler yields after each.
    const compiled = costlyCompilations('turns', clock, 20);
    const query = Array.from({ length: 60 }, (_, i) => `message ~ "(?i)turns${i}"`).join(' OR ');
    const loop = countTurns();
    const filter = await compileEventFilter(query);
    loop.stop();
    expect(compiled()).toBe(60);
    expect(loop.turns()).toBeGreaterThanOrEqual(59);
    expect(filter.matches(numberedEvent(1))).toBe(false);
  });

  test('long queries arriving together take turns: each compiles a step a turn, the network polled between', async () => {
    // 64 KiB queries without regexes: lexing, parsing and building cost tens of ms each, which
    // four requests at once used to spend in one turn, holding every other request for the sum.
    const long = (i: number) =>
      Array.from({ length: 2_500 }, (_, j) => `message = "q${i}w${j}"`)
        .join(' OR ')
        .slice(0, 65_000);
    const queries = [0, 1, 2, 3].map((i) => long(i).replace(/ OR [^O]*$/, ''));
    const loop = countTurns();
    const filters = await Promise.all(queries.map((q) => compileEventFilter(q)));
    loop.stop();
    // Two turns each (before the regex pass and before the parse), one query's step per turn.
    expect(loop.turns()).toBeGreaterThanOrEqual(8);
    expect(filters.map((filter) => filter.matches(numberedEvent(1)))).toEqual([false, false, false, false]);
  });

  test('a 4th tail of a token is refused before its filter is compiled', async () => {
    const server = await startTestMock({ ratePerSec: 0 });
    const tails = await Promise.all([1, 2, 3].map(() => SseReader.open(server, { q: '' })));
    const compiled = costlyCompilations('fourth-tail');
    const fourth = await call(server, 'POST', '/query/tail', {
      body: { q: 'message ~ "fourth-tail[0-9]+"' },
    });
    expect(fourth.status).toBe(429);
    expect(fourth.json.error.code).toBe('tail_session_limit_exceeded');
    expect(compiled()).toBe(0);
    for (const tail of tails) tail.close();
  });

  test('a session over the limit is refused before its filter is compiled', async () => {
    const server = await startTestMock({ ratePerSec: 0, maxSessionsPerToken: 1 });
    const session = (filter: string) =>
      call(server, 'POST', '/api/v1/logs/tail/sessions', {
        body: { tenantId: 't', userUuid: 'u', service: 'api', filter },
      });
    expect((await session('')).status).toBe(200);
    const compiled = costlyCompilations('second-session');
    const second = await session('message ~ "second-session[0-9]+"');
    expect([second.status, second.json.error.code]).toEqual([429, 'session_limit_exceeded']);
    expect(compiled()).toBe(0);
  });
});

describe('scanning', () => {
  test('a query’s scan yields after every event that takes its slice, not after 64', async () => {
    const clock = fakeClock();
    const log = new EventLog(1, 1_000);
    for (let i = 0; i < 30; i++) log.append(numberedEvent(i), i);
    const loop = countTurns();
    let visited = 0;
    await scanInSlices(log, { startSeq: 1, endSeq: 30, org: null }, () => {
      // Each event "costs" 20 ms of filtering.
      clock.advance(20);
      visited += 1;
      return true;
    });
    loop.stop();
    expect(visited).toBe(30);
    expect(loop.turns()).toBeGreaterThanOrEqual(29);
  });

  test('a tail whose events are costly sends them a batch per turn, not 64 in one', async () => {
    const server = await startTestMock({ ratePerSec: 0 });
    const before = server.head();
    server.append(...Array.from({ length: 20 }, (_, i) => ({ message: `costly ${i}` })));
    // Every look at the clock finds 20 ms gone: each event takes the tail's whole turn.
    let now = 0;
    vi.spyOn(workClock, 'now').mockImplementation(() => (now += 20));
    const tail = await SseReader.open(server, { q: '' }, { token: DEV_TOKEN, lastEventId: before });
    await tail.until((reader) => reader.events.length === 20);
    tail.close();
    const { metrics } = server.snapshot().tails;
    expect(metrics.largestBatch).toBe(1);
    expect(metrics.batches).toBeGreaterThanOrEqual(20);
  });
});
