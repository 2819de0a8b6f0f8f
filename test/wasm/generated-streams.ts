/**
 * Generated server-sent streams for the differential tests of the WebAssembly decoder: valid,
 * mangled and hostile JSON in `data:` lines (numbers like `-0.0e+5`, `01`, `1.`, invalid UTF-8,
 * escapes, controls), every field, comments, the three line ends, BOMs, and cut points.
 */
import fc from 'fast-check';

const encoder = new TextEncoder();
export const bytesOf = (text: string): Uint8Array => encoder.encode(text);

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const all = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.length;
  }
  return all;
}

/** `bytes` cut at the given places (taken modulo its length, in order). */
export function cut(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => (bytes.length === 0 ? 0 : c % (bytes.length + 1))))].sort(
    (a, b) => a - b,
  );
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const point of points) {
    chunks.push(bytes.slice(from, point));
    from = point;
  }
  chunks.push(bytes.slice(from));
  return chunks;
}

// ---- Values: valid, mangled and hostile JSON, as bytes. ----

export const NUMBERS = [
  '-0.0e+5',
  '01',
  '1.',
  '-',
  '-01',
  '1e',
  '1E+',
  '.5',
  '+1',
  '00',
  '-0',
  '1.5e-3',
  '0e0',
  '2E-0',
];
const ODD_BYTES = [
  [0xc0, 0x80],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xe0, 0x80, 0x80],
  [0xf0, 0x8f, 0xbf, 0xbf],
  [0xe2, 0x82],
  [0xff],
  [0x80],
  [0xc3, 0xa9],
  [0xf0, 0x9f, 0x98, 0x80],
  [0xef, 0xbb, 0xbf],
  [0x00],
  [0x1f],
  [0x7f],
].map((b) => Uint8Array.from(b));
const TOKENS = [
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '"',
  '\\',
  ' ',
  '\t',
  '0',
  '9',
  'e',
  '.',
  '-',
  '+',
  'u',
  'tru',
  'null',
];

const jsonText = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
  fc.object({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
  fc
    .record({
      event_id: fc.oneof(fc.uuid(), fc.string({ unit: 'binary', maxLength: 6 }), fc.nat(), fc.constant(null)),
      message: fc.string({ unit: 'grapheme', maxLength: 20 }),
    })
    .map((value) => JSON.stringify(value)),
  fc.constantFrom(
    '{"event_id":"a","event_id":"b"}',
    '{"event_id":"a","event_id":1}',
    '{"event\\u005fid":"x"}',
    '{"event_id":"\\u0041b"}',
    '{"a":{"event_id":"inner"}}',
    '{"event_id":"e1","message":"once"}',
    '{"event_id":"e1","message":"again"}',
    '{"event_id":"e2"}',
    '{"event_id":"f1"}',
    '{"event_id":"\\u00651","via":"escape"}',
    '{"after":"1","resumed_from":"5"}',
    '{"reason":"revoked"}',
    '{"a":"\\uD800"}',
    '{"a":"\\u12"}',
    '{"a":"\\/\\b\\f\\n\\r\\t\\"\\\\"}',
    '{ "a" : [ 1 , true , false , null ] }',
    '{"a":tru}',
    '{"a":nul}',
    '{"a":falsey}',
    '{}',
    '[]',
    '"x"',
    '',
    ' ',
  ),
  fc.constantFrom(...NUMBERS).map((n) => `{"n":${n}}`),
);

/** A JSON text with a few bytes inserted, removed or cut. */
const mangled = fc
  .tuple(jsonText, fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.constantFrom(...TOKENS)), { maxLength: 3 }))
  .map(([text, edits]) => {
    let bytes = bytesOf(text);
    for (const [where, kind, token] of edits) {
      const at = bytes.length === 0 ? 0 : where % bytes.length;
      if (kind === 0) bytes = concat([bytes.slice(0, at), bytesOf(token), bytes.slice(at)]);
      else if (kind === 1) bytes = concat([bytes.slice(0, at), bytes.slice(at + 1)]);
      else if (kind === 2) bytes = bytes.slice(0, at);
      else bytes = concat([bytes.slice(0, at), ODD_BYTES[where % ODD_BYTES.length]!, bytes.slice(at)]);
    }
    return bytes;
  });

const value: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 3, arbitrary: jsonText.map(bytesOf) },
  { weight: 3, arbitrary: mangled },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.nat(3), fc.constantFrom(...ODD_BYTES))
      .map(([at, odd]) => concat([bytesOf('{"a":"x'.slice(0, 3 + at)), odd, bytesOf('"}')])),
  },
);

/** A value with no line break in it: what one `data:` line can carry. */
export const lineValue = value.map((bytes) => bytes.map((b) => (b === 0x0a || b === 0x0d ? 0x20 : b)));

// ---- Streams: every field, comments, line ends, a BOM. ----

const field = fc.oneof(
  { weight: 6, arbitrary: lineValue.map((v) => concat([bytesOf('data: '), v])) },
  { weight: 1, arbitrary: lineValue.map((v) => concat([bytesOf('data:'), v])) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'data',
      'id: 7',
      'id:',
      'id',
      'id: 12345678-abcd',
      'id: a\u0000b',
      'id:  spaced',
      'event: gap',
      'event: audit-log',
      'event:',
      'event',
      'event: message',
      'event: reset',
      'event: scope-destroyed',
      'event: proxy-log',
      'retry: 250',
      'retry: 2s',
      'retry:',
      'retry: 99999999999999999999999',
      ': heartbeat',
      ':',
      'unknown: field',
      ' data: leading space',
      'DATA: upper',
    ),
  },
  { weight: 1, arbitrary: fc.nat(9999).map((n) => `id: ${n}`) },
  { weight: 1, arbitrary: fc.constantFrom(...ODD_BYTES).map((odd) => concat([bytesOf('event: x'), odd])) },
  { weight: 1, arbitrary: fc.constantFrom(...ODD_BYTES).map((odd) => concat([bytesOf('id: x'), odd])) },
  { weight: 3, arbitrary: fc.constant('') },
);
const lineEnd = fc.constantFrom('\n', '\n', '\r\n', '\r');
export const stream = fc
  .tuple(
    fc.constantFrom('', '', '', '\uFEFF', '\uFEFF\uFEFF'),
    fc.array(fc.tuple(field, lineEnd), { maxLength: 30 }),
  )
  .map(([bom, lines]) =>
    concat([
      bytesOf(bom),
      ...lines.flatMap(([line, end]) => [typeof line === 'string' ? bytesOf(line) : line, bytesOf(end)]),
    ]),
  );
export const cuts = fc.array(fc.nat(4_000), { maxLength: 10 });
