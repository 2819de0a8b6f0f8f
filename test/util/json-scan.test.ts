import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isJsonText, scanJsonValue } from '../../src/util/json-scan.js';

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('isJsonText agrees with JSON.parse', () => {
  it.each([
    ['{}', true],
    ['[]', true],
    [' {"a":[1,2.5e-3,-0,true,false,null,"x\\u00e9\\n"]} ', true],
    ['{"a":1,}', false],
    ['[1,]', false],
    ['{"a" 1}', false],
    ['01', false],
    ['1.', false],
    ['-', false],
    ['"\\x"', false],
    ['"tab\there"', false],
    ['"\\u12G4"', false],
    ['tru', false],
    ['{"a":1}}', false],
    ['{"a":1} {"b":2}', false],
    ['', false],
  ])('%s → %s', (text, expected) => {
    expect(isJsonText(text)).toBe(expected);
    expect(parses(text)).toBe(expected);
  });

  it('accepts whatever JSON.stringify writes', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => isJsonText(JSON.stringify(value) ?? 'null')));
  });

  it('matches JSON.parse on mangled JSON', () => {
    const mangled = fc
      .tuple(
        fc.jsonValue().map((value) => JSON.stringify(value) ?? 'null'),
        fc.nat(),
        fc.string({ maxLength: 3 }),
      )
      .map(([text, at, insert]) => {
        const cut = at % (text.length + 1);
        return text.slice(0, cut) + insert + text.slice(cut + (at % 2));
      });
    fc.assert(
      fc.property(mangled, (text) => isJsonText(text) === parses(text)),
      { numRuns: 3000 },
    );
  });

  it('matches JSON.parse on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => isJsonText(text) === parses(text)),
      {
        numRuns: 3000,
      },
    );
  });

  it('handles nesting far deeper than recursion could', () => {
    const deep = `${'[{"a":'.repeat(200_000)}1${'}]'.repeat(200_000)}`;
    expect(scanJsonValue(deep, 0)).toBe(deep.length);
    expect(isJsonText(deep.slice(0, -1))).toBe(false);
  });
});
