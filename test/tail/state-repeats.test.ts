/** Repeated state lines are said once a window, then with how many were held back. */
import { expect, test } from 'vitest';
import type { TailStateItem } from '../../src/tail/items.js';
import { REPEAT_WINDOW_MS, RepeatedStates } from '../../src/tail/state-repeats.js';

const reconnecting = (attempt: number, reason = 'the server was reset'): TailStateItem => ({
  kind: 'reconnecting',
  attempt,
  delayMs: attempt * 1_000,
  reason,
});

test('the same cause again within the window is held back and counted, whatever its countdown', () => {
  let now = 0;
  const repeats = new RepeatedStates({ now: () => now });
  const said: string[] = [];
  for (let attempt = 1; attempt <= 40; attempt++) {
    const line = repeats.admit(reconnecting(attempt), `reconnecting (attempt ${attempt})`);
    if (line !== undefined) said.push(line);
    now += 1_000;
  }
  // 40 in 40 s: the first said, the 39 others held; a minute later it says how many there were.
  expect(said).toEqual(['reconnecting (attempt 1)']);
  now = REPEAT_WINDOW_MS;
  expect(repeats.admit(reconnecting(41), 'reconnecting (attempt 41)')).toBe(
    'reconnecting (attempt 41) (repeated 39 times)',
  );
});

test('another cause, warning or notice is said at once; each is counted on its own', () => {
  const repeats = new RepeatedStates({ now: () => 0 });
  const missing: TailStateItem = { kind: 'missing', detail: 'the server was reset' };
  expect(repeats.admit(reconnecting(1), 'a')).toBe('a');
  expect(repeats.admit(missing, 'b')).toBe('b');
  expect(repeats.admit(reconnecting(2, '503 unavailable'), 'c')).toBe('c');
  expect(repeats.admit(reconnecting(3), 'a')).toBeUndefined();
  expect(repeats.admit(missing, 'b')).toBeUndefined();
  expect(repeats.admit({ kind: 'notice', level: 'warn', message: 'other' }, 'd')).toBe('d');
});

test('a server that names a new cause every time cannot grow the memory: old causes are forgotten', () => {
  const repeats = new RepeatedStates({ now: () => 0 });
  for (let i = 0; i < 10_000; i++)
    expect(repeats.admit(reconnecting(1, `cause ${i}`), `line ${i}`)).toBe(`line ${i}`);
  // The first cause was forgotten long ago: it is news again.
  expect(repeats.admit(reconnecting(1, 'cause 0'), 'again')).toBe('again');
});
