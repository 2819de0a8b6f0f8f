/**
 * A peer's severity word is any string: names that plain objects inherit (`__proto__`,
 * `constructor`, `toString`, …) must read as unknown words, never as table entries.
 */
import { describe, expect, it } from 'vitest';
import { parseFaultSpec } from '../../src/mock/fault-spec.js';
import { normalizeSeverity, severityRank } from '../../src/model/event.js';
import { eventSeverity } from '../../src/model/event-record.js';

const INHERITED = Object.getOwnPropertyNames(Object.prototype);

describe('words that name inherited properties', () => {
  it.each(INHERITED)('level %s is not a severity', (word) => {
    expect(normalizeSeverity(word)).toBeUndefined();
    expect(severityRank(word)).toBe(-1);
    expect(eventSeverity({ level: word, message: 'x' })).toBe(word.toLowerCase());
  });

  it('known words and aliases still resolve', () => {
    expect(normalizeSeverity('WARNING')).toBe('warn');
    expect(normalizeSeverity('fatal')).toBe('critical');
    expect(normalizeSeverity('info')).toBe('info');
  });

  it.each(INHERITED)('fault kind %s is an unknown kind, said as written', (word) => {
    expect(() => parseFaultSpec(word)).toThrow(new RegExp(`unknown fault kind "${word}"`));
  });
});
