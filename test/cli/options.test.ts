import { describe, expect, it } from 'vitest';
import { MAX_TIMER_MS, parseDurationOption, parseFieldList } from '../../src/cli/options.js';

describe('parseDurationOption', () => {
  const timeout = parseDurationOption('--timeout');
  it.each([
    ['1h30m', 5_400_000],
    ['90', 90_000],
    ['250ms', 250],
  ])('%s → %d ms', (text, ms) => {
    expect(timeout(text)).toBe(ms);
  });
  it('refuses zero, nonsense and what a timer cannot wait', () => {
    expect(() => timeout('0')).toThrow(/--timeout takes a duration such as 30s/);
    expect(() => timeout('soon')).toThrow(/got 'soon'/);
    expect(() => timeout('25d')).toThrow(/at most 24\.9d/);
    expect(parseDurationOption('--span', MAX_TIMER_MS * 10)('25d')).toBe(25 * 86_400_000);
  });
});

describe('parseFieldList', () => {
  it('reads SOQL names and aliases as canonical names, once each, in order', () => {
    expect(parseFieldList('level,msg meta.user,ts,severity')).toEqual([
      'severity',
      'message',
      'payload.user',
      'ts',
    ]);
    expect(parseFieldList('service', ['ts'])).toEqual(['ts', 'source']);
  });
  it.each([
    ['nosuch', /unknown field 'nosuch' \(known fields: event_id, ts/],
    ['sevrity', /did you mean 'severity'\?/],
    ['source.x', /'source' has no fields inside it/],
    ['payload..x', /empty key/],
    [',', /needs at least one field/],
  ])('refuses %j', (text, message) => {
    expect(() => parseFieldList(text)).toThrow(message);
  });
});
