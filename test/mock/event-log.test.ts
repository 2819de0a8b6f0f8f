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
    expect(ids(log, { startSeq: 17_380, endSeq: 17_390, org: null })).toEqual(
      Array.from({ length: 11 }, (_, i) => 17_380 + i),
    );
    expect(ids(log, { startSeq: 17_380, endSeq: 17_390, descending: true, org: null })[0]).toBe(17_390);
    let visited = 0;
    const scanned = log.scan({ startSeq: 1000, endSeq: 41_000, org: null }, () => ++visited < 5);
    expect(scanned).toBe(5);
  });

  test('from/to skip whole chunks: only events in the window are looked at', () => {
    const log = filled(100_000);
    const seen: number[] = [];
    const scanned = log.scan(
      { startSeq: 0, endSeq: 200_000, fromMs: 50_000_000, toMs: 50_010_000, org: null },
      (_, seq) => {
        seen.push(seq);
        return true;
      },
    );
    expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => 51_000 + i));
    expect(scanned).toBeLessThanOrEqual(16_384);
  });

  test('keeps exactly the retention: the oldest events go one by one, and counts stay right', () => {
    for (const [count, retain] of [
      [50_000, 20_000],
      [20_000, 500],
      [16_385, 16_384],
      [3, 1],
    ] as const) {
      const log = filled(count, retain);
      const trimmed: number[] = [];
      log.onTrim((events) => trimmed.push(events.length));
      expect(log.size).toBe(retain);
      expect(log.firstSeq).toBe(1000 + count - retain);
      expect(ids(log, { startSeq: 0, endSeq: log.headSeq, org: null })).toHaveLength(retain);
      expect(ids(log, { startSeq: 0, endSeq: log.headSeq, descending: true, org: null })).toHaveLength(
        retain,
      );
      expect(log.get(log.firstSeq - 1)).toBeUndefined();
      log.append(event(count), count * 1000);
      expect([log.size, trimmed]).toEqual([retain, [1]]);
    }
  });

  test('numbers that name no event (holes) cost a slot, not a chunk, and scans step over them', () => {
    const log = new EventLog(1, 100);
    for (let i = 0; i < 50; i++) log.appendAt(1 + i * 3, event(i), i);
    expect(log.size).toBe(50);
    expect(ids(log, { startSeq: 0, endSeq: 1000, org: null })).toEqual(
      Array.from({ length: 50 }, (_, i) => 1 + i * 3),
    );
    expect(log.get(2)).toBeUndefined();
    // Reserved numbers are handed out in order; one never written stays a hole.
    const reserved = [log.reserve(), log.reserve()];
    expect(reserved).toEqual([log.headSeq + 1, log.headSeq + 2]);
    expect(log.issued(reserved[0]!)).toBe(false);
    log.appendAt(reserved[1]!, event(99), 99);
    expect(log.headSeq).toBe(reserved[1]);
    expect(log.get(reserved[0]!)).toBeUndefined();
    expect(log.append(event(100), 100)).toBe(reserved[1]! + 1);
  });
});
