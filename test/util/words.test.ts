import { describe, expect, it } from 'vitest';
import { countOf, positionIn, ratePerSecond, tookWithRate, wholeNumberRange } from '../../src/util/words.js';

describe('numbers in sentences', () => {
  it.each([
    [0, 'lines read', '0 lines'],
    [1, 'line read', '1 line'],
    [2, 'lines', '2 lines'],
    [1234, 'lines', '1,234 lines'],
  ])('counts %i', (count, _, text) => {
    expect(countOf(count, 'line')).toBe(text);
  });

  it('uses the plural it is given', () => {
    expect(countOf(1, 'entry', 'entries')).toBe('1 entry');
    expect(countOf(3, 'entry', 'entries')).toBe('3 entries');
  });

  it('gives a rate only over a second or more', () => {
    expect(tookWithRate(3, 18)).toBe('in 18ms');
    expect(ratePerSecond(3, 18)).toBeUndefined();
    expect(tookWithRate(2_500, 2_000)).toBe('in 2s (1,250/s)');
    expect(ratePerSecond(2_500, 2_000)).toBe('1,250/s');
  });

  it('counts positions from 1, by line when the text has several', () => {
    expect(positionIn('(source == api', 0)).toBe('column 1');
    expect(positionIn('a ==\n(b', 5)).toBe('line 2, column 1');
  });

  it('leaves out a limit nobody could reach', () => {
    expect(wholeNumberRange(1)).toBe('a whole number of at least 1');
    expect(wholeNumberRange(0)).toBe('a whole number (0 or more)');
    expect(wholeNumberRange(0, 65_535)).toBe('a whole number from 0 to 65535');
  });
});
