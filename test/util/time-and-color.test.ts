import { describe, expect, it } from 'vitest';
import { resolveColorLevel } from '../../src/output/color.js';
import { formatDurationMs, parseDurationMs } from '../../src/util/duration.js';
import { parseTimeSpec } from '../../src/util/time-spec.js';

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
    ['2026-05-17', '2026-05-17T00:00:00.000Z'],
  ])('%s → %s', (text, expected) => {
    expect(parseTimeSpec(text, now)).toBe(expected);
  });

  it.each(['yesterday', '15', '2026-13-45T99:00:00Z', '', '5 parsecs'])('rejects %j', (text) => {
    expect(parseTimeSpec(text, now)).toBeUndefined();
  });
});

describe('durations', () => {
  it.each([
    ['250ms', 250],
    ['15s', 15_000],
    ['5m', 300_000],
    ['1.5h', 5_400_000],
    ['2d', 172_800_000],
  ])('%s = %d ms', (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });
  it('takes a bare number in the default unit', () => {
    expect(parseDurationMs('3', 's')).toBe(3000);
  });
  it.each(['', 'abc', '5 m', '-1s'])('rejects %j', (text) => {
    expect(parseDurationMs(text)).toBeUndefined();
  });
  it.each([
    [500, '500ms'],
    [1500, '1.5s'],
    [120_000, '2m'],
    [7_200_000, '2h'],
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
