import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sanitizeForTerminal, sanitizeLines } from '../../src/output/sanitize.js';

/** What must never reach a terminal raw: controls, bidi overrides and isolates, invisible characters. */
const UNSAFE =
  /[\u0000-\u001f\u007f-\u009f\u061c\u180e\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]/;

describe('sanitizeForTerminal', () => {
  it.each([
    ['\u001b[31mred', '\\x1b[31mred'],
    ['title\u001b]0;pwned\u0007', 'title\\x1b]0;pwned\\x07'],
    ['a\nb\tc\rd', 'a\\nb\\tc\\rd'],
    ['\u009b2J', '\\x9b2J'],
    ['admin\u202egnp.exe', 'admin\\u202egnp.exe'],
    ['zero\u200bwidth', 'zero\\u200bwidth'],
    ['\u2066isolate\u2069', '\\u2066isolate\\u2069'],
    ['\u200emark\u200f', '\\u200emark\\u200f'],
    ['\ufeffbom', '\\ufeffbom'],
    ['line\u2028sep', 'line\\u2028sep'],
  ])('shows %j as %j', (input, shown) => {
    expect(sanitizeForTerminal(input)).toBe(shown);
  });

  it('keeps what renders as itself: accents, CJK, emoji joined with ZWJ', () => {
    const text = 'Straße 東京 👩‍💻 café';
    expect(sanitizeForTerminal(text)).toBe(text);
  });

  it('never lets an unsafe character through, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(sanitizeForTerminal(text)).not.toMatch(UNSAFE);
      }),
    );
  });
});

describe('sanitizeLines', () => {
  it('keeps line breaks and escapes the rest', () => {
    expect(sanitizeLines('one\u001b[2J\ntwo\u202e\r')).toBe('one\\x1b[2J\ntwo\\u202e\\r');
  });

  it('leaves nothing unsafe but newlines, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(sanitizeLines(text).replaceAll('\n', '')).not.toMatch(UNSAFE);
      }),
    );
  });
});
