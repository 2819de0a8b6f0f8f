/** Scanning the log in slices: the same visits as one scan, with other work running in between. */
import { describe, expect, test } from 'vitest';
import { EventLog, type ScanRange } from '../../src/mock/event-log.js';
import { scanInSlices } from '../../src/mock/sliced-scan.js';
import { countTurns } from '../helpers/event-loop-turns.js';
import { numberedEvent as event } from '../helpers/log-events.js';

function filled(count: number): EventLog {
  const log = new EventLog(1, 1_000_000);
  for (let i = 0; i < count; i++) log.append(event(i), i * 1000);
  return log;
}

/** What one uninterrupted scan visits, to compare the sliced one with. */
function visitedAtOnce(log: EventLog, range: ScanRange, stopAfter = Infinity): number[] {
  const seen: number[] = [];
  log.scan(range, (_, seq) => {
    seen.push(seq);
    return seen.length < stopAfter;
  });
  return seen;
}

describe('scanInSlices', () => {
  test.each([
    ['ascending', { startSeq: 1, endSeq: 100, org: null }],
    ['descending', { startSeq: 1, endSeq: 100, descending: true, org: null }],
    ['with a time range', { startSeq: 5, endSeq: 90, fromMs: 20_000, toMs: 61_000, org: null }],
    [
      'descending with a time range',
      { startSeq: 5, endSeq: 90, descending: true, fromMs: 20_000, org: null },
    ],
  ])('visits what one scan visits, %s, yielding between slices', async (_, range: ScanRange) => {
    const log = filled(100);
    const seen: number[] = [];
    const loop = countTurns();
    const scanned = await scanInSlices(log, range, (_, seq) => seen.push(seq) > 0, { maxEvents: 7 });
    loop.stop();
    expect(seen).toEqual(visitedAtOnce(log, range));
    expect(scanned).toBe(log.scan(range, () => true));
    // Other work ran while the scan was under way: one turn per slice, give or take one.
    expect(loop.turns()).toBeGreaterThanOrEqual(Math.floor(seen.length / 7) - 1);
  });

  test('stops between slices once the client has gone (its signal aborted)', async () => {
    const log = filled(100);
    const gone = new AbortController();
    const seen: number[] = [];
    const scan = scanInSlices(
      log,
      { startSeq: 1, endSeq: 100, org: null },
      (_, seq) => {
        seen.push(seq);
        if (seq === 15) gone.abort(new Error('the client closed the connection'));
        return true;
      },
      { maxEvents: 10, signal: gone.signal },
    );
    await expect(scan).rejects.toThrow('the client closed the connection');
    // The slice under way when the client left ends; no further slice starts.
    expect(seen).toEqual(visitedAtOnce(log, { startSeq: 1, endSeq: 20, org: null }));
  });

  test('stops where the visitor says, and skips events trimmed while it waited', async () => {
    const log = filled(100);
    const seen: number[] = [];
    await scanInSlices(log, { startSeq: 1, endSeq: 100, org: null }, (_, seq) => seen.push(seq) < 30, {
      maxEvents: 4,
    });
    expect(seen).toEqual(visitedAtOnce(log, { startSeq: 1, endSeq: 100, org: null }, 30));

    const small = new EventLog(1, 100);
    for (let i = 0; i < 100; i++) small.append(event(i), i);
    const visited: number[] = [];
    const done = scanInSlices(
      small,
      { startSeq: small.firstSeq, endSeq: small.headSeq, org: null },
      (_, seq) => {
        visited.push(seq);
        return true;
      },
      { maxEvents: 10 },
    );
    // Appending drops the oldest events while the scan is between two slices.
    for (let i = 0; i < 50; i++) small.append(event(i), i);
    await done;
    expect(visited.slice(0, 11)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, small.firstSeq]);
    expect(visited.at(-1)).toBe(100);
  });
});

describe('several scans at once', () => {
  test('take turns: one slice per turn of the event loop, the network polled between any two', async () => {
    const log = filled(60);
    // The loop's iteration, counted by a callback that re-arms itself once per check phase.
    const loop = countTurns();
    const slices: number[] = [];
    const scans = [1, 2, 3, 4].map(() => {
      let lastIteration = -1;
      return scanInSlices(
        log,
        { startSeq: 1, endSeq: 60, org: null },
        () => {
          const iteration = loop.turns();
          if (iteration !== lastIteration) slices.push(iteration);
          lastIteration = iteration;
          return true;
        },
        { maxEvents: 5 },
      );
    });
    await Promise.all(scans);
    loop.stop();
    // Four scans of twelve slices: each slice started in a loop iteration of its own (the first
    // slice of each runs at once, before any yield).
    const afterFirst = slices.slice(4);
    expect(afterFirst).toHaveLength(4 * 11);
    expect(new Set(afterFirst).size).toBe(afterFirst.length);
  });
});
