/**
 * B7: a compiled SOQL predicate over 1M in-memory events, against a hand-written JS predicate for
 * the same filter (docs/performance.md). Rounds interleave the two sides, alternating which goes first,
 * and the median of each side is compared. Both must count the same matches, or the row fails.
 */
import { compileQuery, type EventPredicate } from '../../src/soql/index.js';
import { emit, log, median } from './lib.js';

const EVENTS = 1_000_000;
const ROUNDS = 9;

/** mulberry32: a small deterministic PRNG, so every run filters the same events. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEVERITY_WEIGHTS: Array<[string, number]> = [
  ['debug', 0.2],
  ['info', 0.5],
  ['notice', 0.05],
  ['warn', 0.15],
  ['error', 0.08],
  ['critical', 0.02],
];
const SOURCES = ['api', 'web', 'worker', 'fivem', 'payments', 'auth-service'];
const MESSAGES = [
  'GET /v1/orders 200 in 12 ms',
  'upstream timed out after 30000 ms',
  'Timeout talking to db-1:5432',
  'connection reset by peer',
  'request time out, retrying (attempt 2)',
  'player connected: steam:110000112345678',
  'cache miss for key session:af31',
  'payment captured for order 88121',
];

function generateEvents(count: number): Record<string, unknown>[] {
  const random = prng(7);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const severity = (): string => {
    let roll = random();
    for (const [name, weight] of SEVERITY_WEIGHTS) {
      roll -= weight;
      if (roll < 0) return name;
    }
    return 'info';
  };
  const start = Date.parse('2026-05-17T08:00:00Z');
  const events: Record<string, unknown>[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const ts = new Date(start + i * 20).toISOString();
    events[i] = {
      event_id: `0192abcd-1234-7567-89ab-${i.toString(16).padStart(12, '0')}`,
      ts,
      ingested_at: ts,
      dataset: 'default',
      severity: severity(),
      event: 'log',
      actor: random() < 0.3 ? `user:${i % 5000}` : 'system',
      source: pick(SOURCES),
      message: pick(MESSAGES),
      payload: random() < 0.4 ? { user: `u${i % 9973}`, status: 200 } : { status: 500 },
      bytes_raw: 100 + Math.floor(random() * 400),
    };
  }
  return events;
}

const RANK: Readonly<Record<string, number>> = {
  debug: 0,
  info: 1,
  notice: 2,
  warn: 3,
  error: 4,
  critical: 5,
};
const TIMEOUT = /time(d)? ?out/;

// [SOQL filter, what a careful engineer would hand-write for it over these events]
const FILTERS: Array<[string, EventPredicate]> = [
  [
    'severity >= warn AND source IN (api, web) AND message ~ "time(d)? ?out"',
    (e) =>
      (RANK[e.severity as string] ?? -1) >= 3 &&
      (e.source === 'api' || e.source === 'web') &&
      TIMEOUT.test(e.message as string),
  ],
  [
    'payload.user EXISTS AND NOT source == fivem',
    (e) => (e.payload as Record<string, unknown>).user != null && e.source !== 'fivem',
  ],
  [
    'ts >= 2026-05-17T10:00:00Z AND ts < 2026-05-17T12:00:00Z AND bytes_raw > 200',
    (e) =>
      (e.ts as string) >= '2026-05-17T10:00:00.000Z' &&
      (e.ts as string) < '2026-05-17T12:00:00.000Z' &&
      (e.bytes_raw as number) > 200,
  ],
  [
    '"timeout" OR severity == critical',
    (e) => (e.message as string).toLowerCase().includes('timeout') || e.severity === 'critical',
  ],
];

type Counter = (events: Record<string, unknown>[], predicate: EventPredicate) => number;

// A fresh function per side and filter, so each counting loop has its own type feedback: one
// shared loop would see every predicate, go megamorphic and inline none of them.
function makeCounter(): Counter {
  return new Function(
    'events',
    'predicate',
    'let n = 0; for (let i = 0; i < events.length; i++) if (predicate(events[i])) n++; return n;',
  ) as Counter;
}

function timed(count: Counter, events: Record<string, unknown>[], predicate: EventPredicate) {
  const started = process.hrtime.bigint();
  const matched = count(events, predicate);
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, matched };
}

log(`generating ${EVENTS.toLocaleString('en')} events…`);
const events = generateEvents(EVENTS);

for (const [query, handWritten] of FILTERS) {
  const ours = compileQuery(query).matches;
  const [countOurs, countBaseline] = [makeCounter(), makeCounter()];
  const runOurs = () => timed(countOurs, events, ours);
  const runBaseline = () => timed(countBaseline, events, handWritten);
  const oursMs: number[] = [];
  const baselineMs: number[] = [];
  const counts = new Set<string>();
  // Round 0 only warms both sides up.
  for (let round = 0; round <= ROUNDS; round++) {
    const oursFirst = round % 2 === 0;
    const first = oursFirst ? runOurs() : runBaseline();
    const second = oursFirst ? runBaseline() : runOurs();
    const [mine, theirs] = oursFirst ? [first, second] : [second, first];
    counts.add(`${mine.matched} vs ${theirs.matched}`);
    if (mine.matched !== theirs.matched) counts.add('differ');
    if (round > 0) {
      oursMs.push(mine.ms);
      baselineMs.push(theirs.ms);
    }
  }
  const [oursMedian, baselineMedian] = [median(oursMs), median(baselineMs)];
  const agree = counts.size === 1;
  const ratio = baselineMedian / oursMedian;
  const rate = (EVENTS / (oursMedian / 1000) / 1e6).toFixed(1);
  log(
    `${query}: ${oursMedian.toFixed(1)} ms vs ${baselineMedian.toFixed(1)} ms, matched ${[...counts].join(', ')}`,
  );
  emit({
    bench: 'B7',
    what: `SOQL compiled predicate, 1M events: ${query}`,
    figure: `${oursMedian.toFixed(1)} ms (${rate}M events/s)`,
    baseline: `hand-written JS: ${baselineMedian.toFixed(1)} ms`,
    ratio,
    target: '≥ 0.5×',
    ok: agree && ratio >= 0.5,
    ...(agree ? {} : { notes: `match counts (ours vs hand-written): ${[...counts].join(', ')}` }),
  });
}
