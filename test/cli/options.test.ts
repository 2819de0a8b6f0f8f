import { describe, expect, it } from 'vitest';
import { MAX_TIMER_MS, parseDurationOption, parseFieldList, readSince } from '../../src/cli/options.js';

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
    expect(() => timeout('25d')).toThrow(/at most 24d21h/);
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
    ['nosuch', /unknown field 'nosuch'\nhint: known fields: event_id, ts, .*severity \(or level\)/],
    ['sevrity', /did you mean 'severity'\?/],
    ['lvl', /did you mean 'level'\?/],
    ['source.x', /'source' has no fields inside it/],
    ['payload..x', /empty key/],
    [',', /needs at least one field/],
  ])('refuses %j', (text, message) => {
    expect(() => parseFieldList(text)).toThrow(message);
  });
});

describe('readSince: one rule for --since on every command', () => {
  const now = new Date('2026-05-17T12:00:00.000Z');
  it.each([
    ['15m', '2026-05-17T11:45:00.000Z', 'in the last 15m'],
    ['100', '2026-05-17T11:58:20.000Z', 'in the last 100s'],
    ['1h30m', '2026-05-17T10:30:00.000Z', 'in the last 1h30m'],
    ['2h ago', '2026-05-17T10:00:00.000Z', 'since 2h ago'],
    ['2026-05-17T10:00Z', '2026-05-17T10:00:00.000Z', 'since 2026-05-17T10:00Z'],
    ['2026-05-17T12:00:00+02:00', '2026-05-17T10:00:00.000Z', 'since 2026-05-17T12:00:00+02:00'],
    ['2026-05-16', '2026-05-16T00:00:00.000Z', 'since 2026-05-16'],
  ])('%s → %s (%s)', (text, from, window) => {
    expect(readSince(text, now)).toEqual({ from, window });
  });
  it.each([
    ['0s', /--since takes a duration longer than 0/],
    ['-1h', /cannot be negative/],
    ['2026-02-30', /--since: '2026-02-30' is not a real date/],
    [
      'soon',
      /--since takes a duration such as 30s, 5m, 1h30m or 7d \(a bare number is seconds\) or an RFC 3339 time/,
    ],
  ])('refuses %j', (text, message) => {
    expect(() => readSince(text, now)).toThrow(message);
  });
});
