import { describe, expect, it } from 'vitest';
import { closestName } from '../../src/util/suggest.js';

describe('closestName', () => {
  it.each<[string, string[], string | undefined]>([
    ['stagin', ['prod', 'staging'], 'staging'],
    ['sevreity', ['severity', 'source'], 'severity'],
    ['STAGING', ['staging'], 'staging'],
    // An abbreviation, when exactly one name has those letters in order from its first.
    ['lvl', ['level', 'message'], 'level'],
    ['stg', ['staging', 'prod'], 'staging'],
    ['prd', ['prod', 'staging'], 'prod'],
    // Two names fit the abbreviation: no guess.
    ['sr', ['source', 'severity'], undefined],
    // Too far, or not from the first letter.
    ['nope', ['tail', 'query', 'sessions'], undefined],
    ['taging', ['staging'], 'staging'],
    ['x', ['xyz'], undefined],
  ])('%s among %j → %s', (word, candidates, expected) => {
    expect(closestName(word, candidates)).toBe(expected);
  });
});
