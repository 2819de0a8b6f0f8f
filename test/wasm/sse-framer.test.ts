/**
 * The WebAssembly framer against its references: frame by frame against the JavaScript SSE parser
 * and JSON byte scanner over arbitrary streams cut at arbitrary places, and value by value against
 * JSON.parse with a strict UTF-8 check. Bounded: a few thousand generated cases, a few seconds.
 */
import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sseWasmModule } from '../../src/wasm/module.js';
import {
  F_EVENT_ID_NEEDS_PARSE,
  F_NOT_UTF8,
  M_DATA_END,
  M_DATA_START,
  M_EVENT_ID_END,
  M_EVENT_ID_START,
  M_FLAGS,
  V_NOT_JSON,
  V_NOT_OBJECT,
  V_OBJECT,
  V_TOO_DEEP,
  VERDICT_MASK,
  WasmSseFramer,
} from '../../src/wasm/sse-framer.js';
import { type FramingOptions, frameWithJs, frameWithWasm } from './framing-reference.js';

const encoder = new TextEncoder();
const bytesOf = (text: string): Uint8Array => encoder.encode(text);

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const all = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.length;
  }
  return all;
}

/** `bytes` cut at the given places (taken modulo its length, in order). */
function cut(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
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

function expectSameFraming(chunks: readonly Uint8Array[], options: FramingOptions = {}): void {
  expect(frameWithWasm(chunks, options)).toEqual(frameWithJs(chunks, options));
}

// ---- Values: valid, mangled and hostile JSON, as bytes. ----

const NUMBERS = [
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
const lineValue = value.map((bytes) => bytes.map((b) => (b === 0x0a || b === 0x0d ? 0x20 : b)));

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
const stream = fc
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
const cuts = fc.array(fc.nat(4_000), { maxLength: 10 });

describe('the WebAssembly framer frames as the JavaScript parser and scanner do', () => {
  it('is built and loads', () => {
    expect(sseWasmModule()).toBeInstanceOf(WebAssembly.Module);
  });

  it('over arbitrary streams in arbitrary chunks', () => {
    fc.assert(
      fc.property(stream, cuts, (bytes, places) => {
        expectSameFraming(cut(bytes, places));
      }),
      { numRuns: 400 },
    );
  });

  it('one byte at a time, and whole', () => {
    fc.assert(
      fc.property(stream, (bytes) => {
        expectSameFraming([bytes]);
        expectSameFraming([...bytes].map((b) => Uint8Array.of(b)));
      }),
      { numRuns: 60 },
    );
  });

  it('with the same frame limit, in the same chunk', () => {
    fc.assert(
      fc.property(stream, cuts, fc.integer({ min: 1, max: 200 }), (bytes, places, limit) => {
        expectSameFraming(cut(bytes, places), { maxFrameBytes: limit });
      }),
      { numRuns: 300 },
    );
  });

  it('with an id in force from the start', () => {
    fc.assert(
      fc.property(stream, cuts, fc.string({ maxLength: 8 }), (bytes, places, id) => {
        expectSameFraming(cut(bytes, places), { initialId: id });
      }),
      { numRuns: 100 },
    );
  });

  it.each([
    ['a BOM split over chunks', ['\xEF', '\xBB', '\xBFdata: {}\n\n']],
    ['a CR ending a chunk, its LF the next', ['data: {}\r', '\ndata: {"a":1}\r', '\r']],
    ['a CR at the very end', ['data: {}\r\r']],
    ['multi-line data', ['data: {"a":\ndata: 1}\n\ndata: {"a":"x\ndata: y"}\n\n']],
    ['an id with a NUL ignored', ['id: 1\n\nid: 2\u0000\ndata: {}\n\n']],
    ['an empty id clearing the id', ['id: 1\ndata: {}\n\nid:\ndata: {}\n\n']],
    ['retry digits only', ['retry: 15\nretry: x\n\n', 'retry: 7\n']],
  ])('%s', (_what, texts) => {
    const chunks = texts.map((text) => Buffer.from(text, 'latin1'));
    expectSameFraming(chunks);
    expect(frameWithWasm(chunks).frames.length).toBeGreaterThanOrEqual(
      texts[0] === 'retry: 15\nretry: x\n\n' ? 0 : 1,
    );
  });

  it('nesting 200,000 deep, valid and not, in 64 KiB chunks', () => {
    const depth = 200_000;
    const texts: [string, string][] = [
      [`{"a":${'['.repeat(depth)}1${']'.repeat(depth)}}`, 'object'],
      [`{"a":${'{"b":'.repeat(depth)}1${'}'.repeat(depth)}}`, 'object'],
      [`{"a":${'['.repeat(depth)}1${']'.repeat(depth - 1)}}`, 'not-json'],
    ];
    for (const [text, verdict] of texts) {
      const bytes = bytesOf(`id: 1\ndata: ${text}\n\ndata: {"after":true}\n\n`);
      const chunks = cut(
        bytes,
        Array.from({ length: Math.ceil(bytes.length / 65_536) }, (_, i) => i * 65_536),
      );
      const wasm = frameWithWasm(chunks);
      expect(wasm).toEqual(frameWithJs(chunks));
      expect(wasm.frames[0]!.verdict).toBe(verdict);
    }
  });

  it('a 2 MiB string, and a frame just over the limit', () => {
    const big = `{"s":"${'é'.repeat(1 << 20)}"}`;
    const bytes = bytesOf(`data: ${big}\n\n`);
    expectSameFraming(cut(bytes, [100, 70_000, 1_500_000]));
    expectSameFraming(cut(bytes, [100, 70_000]), { maxFrameBytes: bytes.length - 10 });
    expect(frameWithWasm([bytes], { maxFrameBytes: 1 << 20 }).tooLargeAt).toBe(0);
  });
});

describe('the WebAssembly check agrees with JSON.parse and a strict UTF-8 check', () => {
  /** The module's verdict on one data line holding `bytes`, and what it wrote. */
  function check(bytes: Uint8Array) {
    const framer = new WasmSseFramer(sseWasmModule()!, { maxFrameBytes: 1 << 24, initialId: '' });
    const framed = framer.feed(concat([bytesOf('data: '), bytes, bytesOf('\n\n')]));
    expect(framed.frames).toBe(1);
    const r = framed.records;
    return {
      flags: r[M_FLAGS]!,
      line: framed.out.subarray(r[M_DATA_START]!, r[M_DATA_END]!),
      idStart: r[M_EVENT_ID_START]!,
      idEnd: r[M_EVENT_ID_END]!,
      out: framed.out,
    };
  }

  it('on arbitrary values', () => {
    fc.assert(
      fc.property(lineValue, (bytes) => {
        const { flags, line, idStart, idEnd, out } = check(bytes);
        expect(Buffer.from(line).equals(Buffer.from(bytes))).toBe(true);
        const verdict = flags & VERDICT_MASK;
        if (!isUtf8(bytes)) {
          expect(flags & F_NOT_UTF8).toBe(F_NOT_UTF8);
          expect(verdict).not.toBe(V_OBJECT);
          return;
        }
        expect(flags & F_NOT_UTF8).toBe(0);
        const text = Buffer.from(bytes).toString('utf8');
        const first = /^[ \t]*([^ \t])/s.exec(text)?.[1];
        let parsed: unknown;
        let parses = true;
        try {
          parsed = JSON.parse(text);
        } catch {
          parses = false;
        }
        if (first !== undefined && first !== '{') {
          expect(verdict).toBe(V_NOT_OBJECT);
          return;
        }
        const isObject = parses && parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed);
        expect(verdict).toBe(isObject ? V_OBJECT : V_NOT_JSON);
        if (isObject) {
          const eventId = (parsed as Record<string, unknown>).event_id;
          if (flags & F_EVENT_ID_NEEDS_PARSE) return;
          if (idStart >= 0) expect(out.toString('utf8', idStart, idEnd)).toBe(eventId);
          else expect(typeof eventId).not.toBe('string');
        }
      }),
      { numRuns: 3_000 },
    );
  });

  it('leaves what is nested deeper than its stack to the JavaScript scanner', () => {
    expect(check(bytesOf(`{"a":${'['.repeat(5_000)}${']'.repeat(5_000)}}`)).flags & VERDICT_MASK).toBe(
      V_TOO_DEEP,
    );
    expect(check(bytesOf(`{"a":${'['.repeat(4_000)}${']'.repeat(4_000)}}`)).flags & VERDICT_MASK).toBe(
      V_OBJECT,
    );
  });

  it.each(NUMBERS)('the number %s', (number) => {
    const text = `{"n":${number}}`;
    let valid = true;
    try {
      JSON.parse(text);
    } catch {
      valid = false;
    }
    expect(check(bytesOf(text)).flags & VERDICT_MASK).toBe(valid ? V_OBJECT : V_NOT_JSON);
  });
});
