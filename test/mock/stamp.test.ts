/** Ids and times written byte by byte must equal what the reference implementations produce. */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { EventStamper } from '../../src/mock/stamp.js';
import { UuidV7Factory } from '../../src/mock/uuid-v7.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('iso() equals Date#toISOString, in order or not, in any year', () => {
  const stamper = new EventStamper();
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: -8.64e15, max: 8.64e15 - 3_000 }), { minLength: 1, maxLength: 20 }),
      (times) => {
        for (const ms of times) expect(stamper.iso(ms)).toBe(new Date(ms).toISOString());
        const base = times[0]!;
        for (let ms = base; ms < base + 2_500; ms += 7)
          expect(stamper.iso(ms)).toBe(new Date(ms).toISOString());
      },
    ),
  );
});

test('UUIDv7: version, variant, the millisecond in the first 48 bits, and never out of order', () => {
  const ids = new UuidV7Factory();
  const minted: string[] = [];
  for (const ms of [
    1_779_000_000_000, 1_779_000_000_000, 1_779_000_000_001, 1_779_000_000_000, 0xffffffffffff,
  ]) {
    const id = ids.next(ms);
    expect(id).toMatch(UUID_V7);
    minted.push(id);
  }
  expect(Number.parseInt(minted[0]!.replace('-', '').slice(0, 12), 16)).toBe(1_779_000_000_000);
  expect(minted.slice(0, 4)).toEqual([...minted.slice(0, 4)].sort());
  expect(minted[4]!.startsWith('ffffffff-ffff-7')).toBe(true);
});

test('UUIDv7: thousands in one millisecond stay unique and sorted', () => {
  const ids = new UuidV7Factory();
  const minted = Array.from({ length: 10_000 }, () => ids.next(1_779_000_000_000));
  expect(new Set(minted).size).toBe(minted.length);
  expect(minted).toEqual([...minted].sort());
});
