/** The byte-level JSON check agrees with JSON.parse, and finds the top-level event_id as JSON.parse would. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JSON_OBJECT, JsonByteScanner, NOT_JSON, NOT_OBJECT } from '../../src/util/json-bytes.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * What the scanner must say, from JSON.parse: JSON_OBJECT or NOT_JSON for a text that starts
 * with `{`; NOT_OBJECT for any other (it is left to JSON.parse), NOT_JSON for nothing at all.
 */
function expected(text: string): number {
  const first = /^[ \t\n\r]*([^ \t\n\r])/.exec(text)?.[1];
  if (first === undefined) return NOT_JSON;
  if (first !== '{') return NOT_OBJECT;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? JSON_OBJECT : NOT_JSON;
  } catch {
    return NOT_JSON;
  }
}

/** Scans `text` placed inside other bytes, so that reading past either end would show. */
function scanned(text: string, scanner = new JsonByteScanner()): number {
  const inner = encoder.encode(text);
  const bytes = new Uint8Array(inner.length + 4);
  bytes.set(encoder.encode('1}'), 0);
  bytes.set(inner, 2);
  bytes.set(encoder.encode(']1'), inner.length + 2);
  return scanner.scan(bytes, 2, inner.length + 2);
}

/** The event_id the scanner reports, as text (undefined when none, 'parse' when it defers). */
function scannedId(text: string): string | undefined {
  const bytes = encoder.encode(text);
  const scanner = new JsonByteScanner();
  if (scanner.scan(bytes, 0, bytes.length) !== JSON_OBJECT) return 'not an object';
  if (scanner.idNeedsParse) return 'parse';
  return scanner.idStart === -1 ? undefined : decoder.decode(bytes.subarray(scanner.idStart, scanner.idEnd));
}

describe('JsonByteScanner agrees with JSON.parse', () => {
  it.each([
    ['{}', JSON_OBJECT],
    [' {"a":[1,2.5e-3,-0,0.5E+7,true,false,null,"x\\u00e9\\n\\/"],"b":{},"c":[[]]} ', JSON_OBJECT],
    ['{"é ünïcode ☃":"\u007f"}', JSON_OBJECT],
    ['[]', NOT_OBJECT],
    ['"text"', NOT_OBJECT],
    ['{"a":1,}', NOT_JSON],
    ['{"a":[1,]}', NOT_JSON],
    ['{"a" 1}', NOT_JSON],
    ['{"a":01}', NOT_JSON],
    ['{"a":1.}', NOT_JSON],
    ['{"a":-}', NOT_JSON],
    ['{"a":1e}', NOT_JSON],
    ['{"a":"\\x"}', NOT_JSON],
    ['{"a":"tab\there"}', NOT_JSON],
    ['{"a":"\\u12G4"}', NOT_JSON],
    ['{"a":"\\u12"}', NOT_JSON],
    ['{"a":tru}', NOT_JSON],
    ['{"a":1}}', NOT_JSON],
    ['{"a":1]', NOT_JSON],
    ['{"a":[1}', NOT_JSON],
    ['{"a":1} {"b":2}', NOT_JSON],
    ['{"a":1},', NOT_JSON],
    ['{"a":', NOT_JSON],
    ['{', NOT_JSON],
    ['{,}', NOT_JSON],
    ['{"a"}', NOT_JSON],
    ['', NOT_JSON],
    ['  ', NOT_JSON],
  ])('%s', (text, result) => {
    expect(scanned(text)).toBe(result);
    expect(expected(text)).toBe(result);
  });

  it('accepts whatever JSON.stringify writes', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (value) => {
        expect(scanned(JSON.stringify(value))).toBe(JSON_OBJECT);
        expect(scanned(JSON.stringify(value, null, '\t'))).toBe(JSON_OBJECT);
      }),
    );
  });

  it('matches JSON.parse on mangled JSON', () => {
    const mangled = fc
      .tuple(
        fc.dictionary(fc.string(), fc.jsonValue()).map((value) => JSON.stringify(value)),
        fc.nat(),
        fc.string({ maxLength: 3 }),
      )
      .map(([text, at, insert]) => {
        const cut = at % (text.length + 1);
        return text.slice(0, cut) + insert + text.slice(cut + (at % 2));
      });
    fc.assert(
      fc.property(mangled, (text) => {
        expect(scanned(text)).toBe(expected(text));
      }),
    );
  });

  it('matches JSON.parse on arbitrary text (one scanner reused: no state leaks between scans)', () => {
    const scanner = new JsonByteScanner();
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(scanned(text, scanner)).toBe(expected(text));
        expect(scanned(`{"a":${text}}`, scanner)).toBe(expected(`{"a":${text}}`));
      }),
    );
  });

  it('handles nesting far deeper than recursion could', () => {
    const deep = `{"d":${'[{"a":'.repeat(200_000)}1${'}]'.repeat(200_000)}}`;
    expect(scanned(deep)).toBe(JSON_OBJECT);
    expect(scanned(deep.slice(0, -1))).toBe(NOT_JSON);
  });
});

describe('the top-level event_id', () => {
  it.each([
    ['{"event_id":"019b-1","a":1}', '019b-1'],
    ['{ "a" : {"event_id":"nested"} , "event_id" : "top" }', 'top'],
    ['{"a":{"event_id":"nested"}}', undefined],
    ['{"a":[{"event_id":"in an array"}]}', undefined],
    ['{"event_id":7}', undefined],
    ['{"event_id":{"x":"y"}}', undefined],
    ['{"event_id":[]}', undefined],
    // JSON.parse keeps the last of duplicate keys.
    ['{"event_id":"first","event_id":"second"}', 'second'],
    ['{"event_id":"first","event_id":null}', undefined],
    ['{"event_id":"é☃"}', 'é☃'],
    // Escapes could hide the key or change the value: those are left to a parse.
    ['{"event\\u005fid":"hidden"}', 'parse'],
    ['{"event_id":"a\\"b"}', 'parse'],
    ['{"event_idx":"no","xevent_id":"no"}', undefined],
  ])('%s', (text, expected) => {
    expect(scannedId(text)).toBe(expected);
  });

  it('is what JSON.parse reads, whenever the scanner does not defer to it', () => {
    const key = fc.constantFrom('event_id', 'event_i', 'ts', 'event\\u005fid', 'a');
    const value = fc.oneof(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }));
    const record = fc
      .array(fc.tuple(key, value), { maxLength: 5 })
      .map((members) => `{${members.map(([k, v]) => `"${k}":${JSON.stringify(v) ?? 'null'}`).join(',')}}`);
    fc.assert(
      fc.property(record, (text) => {
        const id = scannedId(text);
        if (id === 'parse') return;
        const parsedId = (JSON.parse(text) as { event_id?: unknown }).event_id;
        expect(id).toBe(typeof parsedId === 'string' ? parsedId : undefined);
      }),
    );
  });
});
