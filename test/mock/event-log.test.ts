/** The chunked event log: sequence numbers, scans in both directions, time skipping, retention. */
import { describe, expect, test } from 'vitest';
import { EventLog } from '../../src/mock/event-log.js';
import { numberedEvent as event } from '../helpers/log-events.js';

function filled(count: number, retain = 10_000_000): EventLog {
  const log = new EventLog(1000, retain);
  for (let i = 0; i < count; i++) log.append(event(i), i * 1000);
  return log;
}

function ids(log: EventLog, range: Parameters<EventLog['scan']>[0]): number[] {
  const seen: number[] = [];
  log.scan(range, (_, seq) => {
    seen.push(seq);
    return true;
  });
  return seen;
}

describe('EventLog', () => {
  test('sequence numbers start at the origin and are contiguous', () => {
    const log = new EventLog(1000, 100);
    expect(log.headSeq).toBe(999);
    expect(log.issued(999)).toBe(true);
    expect(log.append(event(0), 0)).toBe(1000);
    expect(log.append(event(1), 1000)).toBe(1001);
    expect(log.get(1001)?.message).toBe('m1');
    expect(log.issued(1002)).toBe(false);
    expect(log.issued(998)).toBe(false);
  });

  test('scans up and down across chunk boundaries, and stops when told', () => {
    const log = filled(40_000);
    expect(ids(log, { startSeq: 17_380, endSeq: 17_390 })).toEqual(
      Array.from({ length: 11 }, (_, i) => 17_380 + i),
    );
    expect(ids(log, { startSeq: 17_380, endSeq: 17_390, descending: true })[0]).toBe(17_390);
    let visited = 0;
    const scanned = log.scan({ startSeq: 1000, endSeq: 41_000 }, () => ++visited < 5);
    expect(scanned).toBe(5);
  });

  test('from/to skip whole chunks: only events in the window are looked at', () => {
    const log = filled(100_000);
    const seen: number[] = [];
    const scanned = log.scan(
      { startSeq: 0, endSeq: 200_000, fromMs: 50_000_000, toMs: 50_010_000 },
      (_, seq) => {
        seen.push(seq);
        return true;
      },
    );
    expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => 51_000 + i));
    expect(scanned).toBeLessThanOrEqual(16_384);
  });

  test('drops whole old chunks beyond the retention, and counts stay right', () => {
    const log = filled(50_000, 20_000);
    expect(log.size).toBeGreaterThanOrEqual(20_000);
    expect(log.size).toBeLessThan(50_000);
    expect(log.firstSeq).toBe(1000 + 50_000 - log.size);
    expect(ids(log, { startSeq: 0, endSeq: log.firstSeq })).toEqual([log.firstSeq]);
    expect(log.get(1000)).toBeUndefined();
  });
});
