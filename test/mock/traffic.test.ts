/** Synthetic traffic: the same seed gives the same events; the mix looks like a real service. */
import { expect, test } from 'vitest';
import { EventStamper } from '../../src/mock/stamp.js';
import { prefillHistory, TrafficGenerator } from '../../src/mock/traffic.js';
import type { LogEvent } from '../../src/model/event.js';

function generate(seed: number, count: number): LogEvent[] {
  const events: LogEvent[] = [];
  prefillHistory(
    new TrafficGenerator(seed, new EventStamper()),
    (event) => events.push(event),
    count,
    3_600_000,
    1.8e12,
  );
  return events;
}

test('the same seed gives the same traffic, another seed other traffic', () => {
  const strip = (events: LogEvent[]) => events.map(({ event_id: _, ...rest }) => rest);
  expect(strip(generate(7, 200))).toEqual(strip(generate(7, 200)));
  expect(strip(generate(8, 200))).not.toEqual(strip(generate(7, 200)));
});

test('several sources, mostly debug/info, some warn, few error or critical, ts ascending', () => {
  const events = generate(1, 20_000);
  const share = (predicate: (event: LogEvent) => boolean) => events.filter(predicate).length / events.length;
  expect(new Set(events.map((event) => event.source))).toEqual(
    new Set(['api', 'web', 'auth-service', 'payments', 'fivem', 'worker']),
  );
  expect(share((event) => event.severity === 'debug' || event.severity === 'info')).toBeGreaterThan(0.7);
  expect(share((event) => event.severity === 'warn')).toBeGreaterThan(0.02);
  expect(share((event) => event.severity === 'error' || event.severity === 'critical')).toBeLessThan(0.1);
  expect(share((event) => event.severity === 'critical')).toBeLessThan(0.01);
  expect(events.every((event, i) => i === 0 || event.ts >= events[i - 1]!.ts)).toBe(true);
  expect(events.every((event) => event.message.length > 0 && event.ingested_at! >= event.ts)).toBe(true);
  expect(new Set(events.map((event) => event.event_id)).size).toBe(events.length);
});
