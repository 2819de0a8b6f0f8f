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
import { fcRuns } from '../helpers/fast-check.js';
import { type FramingOptions, frameWithJs, frameWithWasm } from './framing-reference.js';
import { bytesOf, concat, cut, cuts, lineValue, NUMBERS, stream } from './generated-streams.js';

function expectSameFraming(chunks: readonly Uint8Array[], options: FramingOptions = {}): void {
  expect(frameWithWasm(chunks, options)).toEqual(frameWithJs(chunks, options));
}

describe('the WebAssembly framer frames as the JavaScript parser and scanner do', () => {
  it('is built and loads', () => {
    expect(sseWasmModule()).toBeInstanceOf(WebAssembly.Module);
  });

  it('over arbitrary streams in arbitrary chunks', () => {
    fc.assert(
      fc.property(stream, cuts, (bytes, places) => {
        expectSameFraming(cut(bytes, places));
      }),
    );
  });

  it('one byte at a time, and whole', () => {
    fc.assert(
      fc.property(stream, (bytes) => {
        expectSameFraming([bytes]);
        expectSameFraming([...bytes].map((b) => Uint8Array.of(b)));
      }),
      { numRuns: fcRuns(0.6) },
    );
  });

  it('with the same frame limit: the same frames skipped, in the same chunk', () => {
    fc.assert(
      fc.property(stream, cuts, fc.integer({ min: 1, max: 200 }), (bytes, places, limit) => {
        expectSameFraming(cut(bytes, places), { maxFrameBytes: limit });
      }),
    );
  });

  it('with an id in force from the start', () => {
    fc.assert(
      fc.property(stream, cuts, fc.string({ maxLength: 8 }), (bytes, places, id) => {
        expectSameFraming(cut(bytes, places), { initialId: id });
      }),
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

  it('a 2 MiB string', () => {
    const big = `{"s":"${'é'.repeat(1 << 20)}"}`;
    expectSameFraming(cut(bytesOf(`data: ${big}\n\n`), [100, 70_000, 1_500_000]));
  });

  it('a frame just over the limit is skipped, and the next one read', () => {
    const big = `{"s":"${'é'.repeat(1 << 20)}"}`;
    const bytes = bytesOf(`data: ${big}\n\ndata: {"next":1}\n\n`);
    expectSameFraming(cut(bytes, [100, 70_000]), { maxFrameBytes: bytesOf(big).length - 10 });
    const wasm = frameWithWasm([bytes], { maxFrameBytes: 1 << 20 });
    expect(wasm.tooLarge).toEqual([1]);
    expect(wasm.frames.map((frame) => frame.line)).toEqual([Buffer.from('{"next":1}').toString('hex')]);
  });
});

describe('the WebAssembly check agrees with JSON.parse and a strict UTF-8 check', () => {
  /** The module's verdict on one data line holding `bytes`, and what it wrote. */
  // One framer for every value: after a whole frame it carries nothing over (and a module
  // instance per value would cost more than the check).
  const framer = new WasmSseFramer(sseWasmModule()!, { maxFrameBytes: 1 << 24, initialId: '' });
  function check(bytes: Uint8Array) {
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
