/** The event-stream parser: the WHATWG rules, any chunking, and hostile input. */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type SseFrame, SseFrameTooLargeError, SseParser } from '../../src/tail/sse-parser.js';

function parseAll(chunks: readonly string[], parser = new SseParser()): SseFrame[] {
  return chunks.flatMap((chunk) => parser.feed(chunk));
}

/** Feeds bytes through one streaming TextDecoder, as the engine does. */
function parseBytes(bytes: Uint8Array, cuts: readonly number[]): SseFrame[] {
  const parser = new SseParser();
  const decoder = new TextDecoder();
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const frames: SseFrame[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    frames.push(...parser.feed(decoder.decode(bytes.subarray(start, point), { stream: true })));
    start = point;
  }
  return frames;
}

describe('SseParser', () => {
  test('LF, CRLF and CR all end lines, mixed in one stream', () => {
    const frames = parseAll(['data: a\n\ndata: b\r\n\r\ndata: c\r\rdata: d\n\r\n']);
    expect(frames.map((f) => f.data)).toEqual(['a', 'b', 'c', 'd']);
  });

  test('a CR at the end of a chunk and the LF at the start of the next are one line end', () => {
    const frames = parseAll(['data: a\r', '\n', '\r', '\ndata: b\r\n\r\n']);
    expect(frames.map((f) => f.data)).toEqual(['a', 'b']);
  });

  test('drops one leading BOM, even alone in the first chunk', () => {
    expect(parseAll(['\uFEFF', 'data: x\n\n'])).toEqual([{ event: 'message', data: 'x', id: '' }]);
    // A second BOM is content: the field name is then unknown and the frame has no data.
    expect(parseAll(['\uFEFF\uFEFFdata: x\n\n'])).toEqual([]);
  });

  test('data without a space, multi-line data, and only one space removed', () => {
    expect(parseAll(['data:x\ndata:  y\ndata\n\n'])[0]?.data).toBe('x\n y\n');
  });

  test('ids persist across frames without one; an empty id clears; an id with NUL is ignored', () => {
    const frames = parseAll(['id: 1\ndata: a\n\ndata: b\n\nid\ndata: c\n\nid: 2\0\ndata: d\n\n']);
    expect(frames.map((f) => f.id)).toEqual(['1', '1', '', '']);
  });

  test('an id-only block updates the id without dispatching', () => {
    const parser = new SseParser();
    expect(parseAll(['id: 7\n\n'], parser)).toEqual([]);
    expect(parser.lastEventId).toBe('7');
    expect(parseAll(['data: x\n\n'], parser)[0]?.id).toBe('7');
  });

  test('event names, comments, unknown fields and retry', () => {
    const parser = new SseParser();
    const frames = parseAll(
      [':heartbeat\nretry: 3s\nfoo: bar\nevent: gap\ndata: {}\n\nretry: 250\n\n'],
      parser,
    );
    expect(frames).toEqual([{ event: 'gap', data: '{}', id: '' }]);
    expect(parser.retryMs).toBe(250);
  });

  test('a frame left unterminated is never dispatched', () => {
    expect(parseAll(['id: 1\ndata: {"a":1}\n'])).toEqual([]);
    expect(parseAll(['data: {"a":1}'])).toEqual([]);
  });

  test('a frame larger than the limit is an error (the caller drops the connection)', () => {
    const parser = new SseParser({ maxFrameChars: 100 });
    expect(() => parser.feed(`data: ${'x'.repeat(60)}\ndata: ${'y'.repeat(60)}\n`)).toThrow(
      SseFrameTooLargeError,
    );
    const unterminated = new SseParser({ maxFrameChars: 100 });
    expect(() => unterminated.feed('d'.repeat(101))).toThrow(SseFrameTooLargeError);
  });

  test('any chunking of the bytes, split characters included, gives the same frames', () => {
    const line = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 12 }).map((s) => `data: ${s.replace(/[\r\n]/g, '')}`),
      fc.nat(99).map((n) => `id: ${n}`),
      fc.constantFrom('', ':hb', 'event: gap', 'data', 'id', 'retry: 10'),
    );
    const ending = fc.constantFrom('\n', '\r\n', '\r');
    const stream = fc
      .array(fc.tuple(line, ending), { maxLength: 40 })
      .map((lines) => lines.map(([l, e]) => l + e).join(''));
    fc.assert(
      fc.property(stream, fc.array(fc.nat(2_000), { maxLength: 12 }), (text, cuts) => {
        const bytes = new TextEncoder().encode(`\uFEFF${text}`);
        // A bare CR at the very end waits for the next byte, so the reference ends with a newline too.
        const whole = parseBytes(new TextEncoder().encode(`\uFEFF${text}\n`), []);
        const chunked = parseBytes(new TextEncoder().encode(`\uFEFF${text}\n`), cuts);
        expect(chunked).toEqual(whole);
        expect(parseBytes(bytes, cuts).length).toBeLessThanOrEqual(whole.length);
      }),
      { numRuns: 300 },
    );
  });

  test('hostile input (control characters, invalid UTF-8, NUL) never throws below the limit', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 500 }),
        fc.array(fc.nat(600), { maxLength: 8 }),
        (bytes, cuts) => {
          expect(() => parseBytes(bytes, cuts)).not.toThrow();
        },
      ),
      { numRuns: 300 },
    );
  });
});
