/** The regex engine's literal prefilter: it may only ever skip texts the pattern cannot match. */
import fc from 'fast-check';
import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { compilePattern, requiredLiteral } from '../../src/soql/regex.js';

describe('requiredLiteral', () => {
  it.each([
    ['time(d)? ?out', 'time'],
    ['connection reset', 'connection reset'],
    ['^GET /v1/orders \\d+', 'GET /v1/orders '],
    ['abc+', 'ab'],
    // A quantifier takes a whole code point: an emoji is two UTF-16 units but one character.
    ['ab😀?', 'ab'],
    ['xyz\\😀', 'xyz'],
    ['ab{2}c', undefined],
    // A `{` that starts no repeat is a literal: the `|` after it still makes an alternation.
    ['axy{|a{1,3}', undefined],
    ['xab{2}cde', 'cde'],
    ['a[bc]de', 'de'],
    ['[]a]xyz', 'xyz'],
    ['(foo)bar', 'bar'],
    ['foo|bar', undefined],
    ['(?i)foobar', undefined],
    ['\\Qa|b\\E', undefined],
    ['x(a|b)yz', 'yz'],
    ['a.b', undefined],
    ['😀😀+', '😀'],
  ])('%s → %s', (pattern, literal) => {
    expect(requiredLiteral(pattern)).toBe(literal);
  });

  it('never changes what a pattern matches', () => {
    const piece = fc.constantFrom(
      ...['a', 'b', 'ab', 'xy', '.', '\\d', '[ab]', '[^a]', '[]a]', '(', ')', '(?:', '|', '*', '+', '?'],
      ...['{2}', '{1,3}', '{', '}', '^', '$', '😀', '\\.', '\\\\', '(?i)', '\\Q', '\\E'],
    );
    const pattern = fc.array(piece, { maxLength: 10 }).map((parts) => parts.join(''));
    const text = fc
      .array(fc.constantFrom('a', 'b', 'x', 'y', '.', '{', '}', '2', '😀', '\\', 'A', ' '), { maxLength: 14 })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(pattern, fc.array(text, { maxLength: 8 }), (source, texts) => {
        const ours = compilePattern(source);
        if ('error' in ours) return;
        const plain = RE2JS.compile(source);
        for (const sample of texts)
          expect(ours.test(sample), `${source} on ${sample}`).toBe(plain.test(sample));
      }),
    );
  });
});
