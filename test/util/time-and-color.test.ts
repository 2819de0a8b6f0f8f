import { describe, expect, it } from 'vitest';
import { parseFaultSpec } from '../../src/mock/fault-spec.js';
import { resolveColorLevel } from '../../src/output/color.js';
import { parseTime } from '../../src/soql/literals.js';
import { formatDurationMs, parseDurationMs } from '../../src/util/duration.js';
import { parseTimeSpec, readTimeSpec } from '../../src/util/time-spec.js';

const now = new Date('2026-05-17T12:00:00.000Z');

describe('parseTimeSpec', () => {
  it.each([
    ['15m', '2026-05-17T11:45:00.000Z'],
    ['2h', '2026-05-17T10:00:00.000Z'],
    ['7d', '2026-05-10T12:00:00.000Z'],
    ['90s', '2026-05-17T11:58:30.000Z'],
    ['2h ago', '2026-05-17T10:00:00.000Z'],
    ['now', '2026-05-17T12:00:00.000Z'],
    ['2026-05-17T10:00:00Z', '2026-05-17T10:00:00.000Z'],
    ['2026-05-17T10:00:00.5+02:00', '2026-05-17T08:00:00.500Z'],
    ['2026-05-17 10:00', '2026-05-17T10:00:00.000Z'],
    ['2026-05-17T10:00Z', '2026-05-17T10:00:00.000Z'],
    ['2026-05-17T12:00+0200', '2026-05-17T10:00:00.000Z'],
    ['2026-05-17', '2026-05-17T00:00:00.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['1h30m', '2026-05-17T10:30:00.000Z'],
    ['1h30m ago', '2026-05-17T10:30:00.000Z'],
    ['100', '2026-05-17T11:58:20.000Z'],
  ])('%s → %s', (text, expected) => {
    expect(parseTimeSpec(text, now)).toBe(expected);
  });

  it.each([
    'yesterday',
    '2026-13-45T99:00:00Z',
    '',
    '5 parsecs',
    // Rolled over by Date, rejected here as by SOQL.
    '2026-02-30',
    '2026-02-31T00:00:00Z',
    '2025-02-29',
    '2026-05-17T24:00:00Z',
    '-1h',
    '-15m ago',
  ])('rejects %j', (text) => {
    expect(parseTimeSpec(text, now)).toBeUndefined();
  });

  it('says why a time was rejected', () => {
    expect(readTimeSpec('2026-02-30', now)).toEqual({ problem: "'2026-02-30' is not a real date and time" });
    expect(readTimeSpec('-1h', now)).toEqual({
      problem: "'-1h' is negative: a duration counts back from now",
    });
  });

  it('reads the same instants as SOQL, which uses the same parser', () => {
    for (const text of ['2026-05-17T10:00:00Z', '2026-05-17T10:00Z', '2026-05-17', '2026-02-30']) {
      const flag = parseTimeSpec(text, now);
      const soql = parseTime(text);
      expect(flag).toBe(soql === undefined ? undefined : new Date(soql).toISOString());
    }
  });
});

describe('durations', () => {
  it.each([
    ['250ms', 250],
    ['15s', 15_000],
    ['5m', 300_000],
    ['1.5h', 5_400_000],
    ['2d', 172_800_000],
    ['1w', 604_800_000],
    // Compound forms, as kubectl, stern and logcli accept them.
    ['1h30m', 5_400_000],
    ['2d12h', 216_000_000],
    ['1m30s', 90_000],
    ['1s500ms', 1_500],
    ['1h0m5s', 3_605_000],
  ])('%s = %d ms', (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });
  it('takes a bare number as seconds, everywhere', () => {
    expect(parseDurationMs('3')).toBe(3000);
    expect(parseDurationMs('0.25')).toBe(250);
  });
  it.each(['', 'abc', '5 m', '-1s', '-1h', '30m1h', '1h1h', '5M', 'h', '1h30', '99999999w'])(
    'rejects %j',
    (text) => {
      expect(parseDurationMs(text)).toBeUndefined();
    },
  );
  it.each([
    [500, '500ms'],
    [1500, '1.5s'],
    [120_000, '2m'],
    [7_200_000, '2h'],
    [5_400_000, '1h30m'],
  ])('formats %d as %s', (ms, text) => {
    expect(formatDurationMs(ms)).toBe(text);
  });
});

describe('resolveColorLevel', () => {
  it.each([
    ['auto on a TTY', 'auto', {}, true, 1],
    ['auto on a pipe', 'auto', {}, false, 0],
    ['NO_COLOR wins over a TTY', 'auto', { NO_COLOR: '1' }, true, 0],
    ['empty NO_COLOR is ignored', 'auto', { NO_COLOR: '' }, true, 1],
    ['FORCE_COLOR on a pipe', 'auto', { FORCE_COLOR: '1' }, false, 1],
    ['FORCE_COLOR=0 on a TTY', 'auto', { FORCE_COLOR: '0' }, true, 0],
    ['FORCE_COLOR=3', 'auto', { FORCE_COLOR: '3' }, false, 3],
    ['--color always on a pipe', 'always', {}, false, 1],
    ['--color always beats NO_COLOR', 'always', { NO_COLOR: '1' }, false, 1],
    ['--color never beats FORCE_COLOR', 'never', { FORCE_COLOR: '3' }, true, 0],
    ['256-colour terminal', 'auto', { TERM: 'xterm-256color' }, true, 2],
    ['truecolor terminal', 'auto', { COLORTERM: 'truecolor' }, true, 3],
    ['dumb terminal', 'auto', { TERM: 'dumb' }, true, 0],
  ] as const)('%s', (_name, mode, env, isTTY, level) => {
    expect(resolveColorLevel({ mode, env, isTTY })).toBe(level);
  });
});

describe('the mock uses the same duration grammar', () => {
  it.each([
    ['silence:after=1,for=90', 90_000],
    ['silence:after=1,for=1m30s', 90_000],
    ['503@tail:for=250ms', 250],
  ])('%s lasts %d ms', (spec, ms) => {
    expect(parseFaultSpec(spec)).toMatchObject({ forMs: ms });
  });
});
