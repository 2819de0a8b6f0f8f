/** The largest GROUP BY groups, chosen without sorting them all: the same as sorting them all. */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { largestGroups } from '../../src/mock/top-groups.js';

function bySorting(groups: Map<string, { count: number }>, limit: number): { count: number }[] {
  return [...groups.entries()]
    .sort(([idA, a], [idB, b]) => b.count - a.count || (idA < idB ? -1 : idA > idB ? 1 : 0))
    .slice(0, limit)
    .map(([, group]) => group);
}

describe('largestGroups', () => {
  test('picks and orders what a full sort would, ties by key', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.string({ maxLength: 4 }), fc.integer({ min: 1, max: 6 })), {
          selector: ([id]) => id,
          maxLength: 60,
        }),
        fc.integer({ min: 0, max: 70 }),
        (entries, limit) => {
          const groups = new Map(entries.map(([id, count]) => [id, { count, id }]));
          expect(largestGroups(groups, limit)).toEqual(bySorting(groups, limit));
        },
      ),
    );
  });

  test('keeps only the limit out of many groups', () => {
    const groups = new Map(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, { count: i % 1000 }]));
    const top = largestGroups(groups, 1_000);
    expect(top).toHaveLength(1_000);
    expect(top).toEqual(bySorting(groups, 1_000));
  });
});
