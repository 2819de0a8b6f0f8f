/** The event-stream parser: the WHATWG rules, any chunking, and hostile input. */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type SseFrame, SseParser } from '../../src/tail/sse-parser.js';

const encoder = new TextEncoder();

interface Frame {
  event: string;
  data: string;
  id: string;
  plain?: boolean;
}

const view = (frame: SseFrame, withPlain = false): Frame => {
  const { event, data, id } = frame;
  return withPlain ? { event, data, id, plain: frame.plain } : { event, data, id };
};

function parseAll(chunks: readonly string[], parser = new SseParser()): Frame[] {
  return chunks.flatMap((chunk) => parser.feed(encoder.encode(chunk)).map((frame) => view(frame)));
}

/** Feeds the bytes cut at `cuts`, each piece a copy that is wiped once fed (chunks are not kept). */
function parseBytes(bytes: Uint8Array, cuts: readonly number[], withPlain = false): Frame[] {
  const parser = new SseParser();
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const frames: Frame[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    const piece = bytes.slice(start, point);
    frames.push(...parser.feed(piece).map((frame) => view(frame, withPlain)));
    piece.fill(0);
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

  test('drops one leading BOM, even alone in the first chunk or split across chunks', () => {
    expect(parseAll(['\uFEFF', 'data: x\n\n'])).toEqual([{ event: 'message', data: 'x', id: '' }]);
    const bom = encoder.encode('\uFEFFdata: y\n\n');
    for (const cuts of [[1], [2], [1, 2], [1, 3]]) {
      expect(parseBytes(bom, cuts)).toEqual([{ event: 'message', data: 'y', id: '' }]);
    }
    // Bytes that only begin like a BOM are content: the line's field name is then unknown.
    expect(parseBytes(new Uint8Array([0xef, 0xbb, 0x0a, ...encoder.encode('data: z\n\n')]), [1])).toEqual([
      { event: 'message', data: 'z', id: '' },
    ]);
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

  test('a frame larger than the limit is skipped and counted, and the frames after it are read', () => {
    const next = 'id: 2\ndata: next\n\n';
    const parser = new SseParser({ maxFrameBytes: 100 });
    expect(parseAll([`id: 1\ndata: ${'x'.repeat(60)}\ndata: ${'y'.repeat(60)}\n\n${next}`], parser)).toEqual([
      { event: 'message', data: 'next', id: '2' },
    ]);
    expect(parser.tooLarge).toBe(1);
    const unterminated = new SseParser({ maxFrameBytes: 100 });
    expect(parseAll([`data: ${'d'.repeat(101)}`, '\n\n', next], unterminated)).toHaveLength(1);
    expect(unterminated.tooLarge).toBe(1);
    const spread = new SseParser({ maxFrameBytes: 100 });
    expect(parseAll([...Array.from({ length: 20 }, () => 'dddddddddd'), '\n', next], spread)).toHaveLength(1);
    // A line that is no field is ignored at any size: no frame was skipped.
    expect(spread.tooLarge).toBe(0);
  });

  test('an id: over the limit clears the id in force and skips its frame', () => {
    const parser = new SseParser({ maxFrameBytes: 100, initialId: '7' });
    expect(parseAll([`id: ${'9'.repeat(200)}\ndata: x\n\ndata: y\n\n`], parser)).toEqual([
      { event: 'message', data: 'y', id: '' },
    ]);
    expect(parser.tooLarge).toBe(1);
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
        const bytes = encoder.encode(`\uFEFF${text}`);
        // A bare CR at the very end waits for the next byte, so the reference ends with a newline too.
        const whole = parseBytes(encoder.encode(`\uFEFF${text}\n`), [], true);
        const chunked = parseBytes(encoder.encode(`\uFEFF${text}\n`), cuts, true);
        expect(chunked).toEqual(whole);
        expect(parseBytes(bytes, cuts).length).toBeLessThanOrEqual(whole.length);
        // The same frames as parsing the decoded text line by line would give.
        expect(whole.map(({ plain: _, ...frame }) => frame)).toEqual(reference(`${text}\n`));
        // Valid UTF-8 on one line may be written out as it is; joined lines never.
        for (const frame of whole) expect(frame.plain).toBe(!frame.data.includes('\n'));
      }),
    );
  });

  test('near and over a small limit, any chunking gives the same frames and skips the same ones', () => {
    const limit = 40;
    const line = fc.oneof(
      fc.nat(60).map((n) => `data: ${'d'.repeat(n)}`),
      fc.nat(60).map((n) => `id: ${'7'.repeat(n)}`),
      fc.nat(60).map((n) => `event: ${'e'.repeat(n)}`),
      fc.nat(60).map((n) => `:${'c'.repeat(n)}`),
      fc.nat(60).map((n) => 'u'.repeat(n)),
      fc.constant(''),
    );
    const ending = fc.constantFrom('\n', '\r\n', '\r');
    const stream = fc
      .array(fc.tuple(line, ending), { maxLength: 30 })
      .map((lines) => `${lines.map(([l, e]) => l + e).join('')}\n`);
    const run = (bytes: Uint8Array, cuts: readonly number[]) => {
      const parser = new SseParser({ maxFrameBytes: limit });
      const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
      const frames: Frame[] = [];
      let start = 0;
      for (const point of [...points, bytes.length]) {
        frames.push(...parser.feed(bytes.slice(start, point)).map((frame) => view(frame)));
        expect(parser.heldBytes).toBeLessThanOrEqual(2 * limit);
        start = point;
      }
      return { frames, tooLarge: parser.tooLarge };
    };
    fc.assert(
      fc.property(stream, fc.array(fc.nat(2_000), { maxLength: 12 }), (text, cuts) => {
        const bytes = encoder.encode(text);
        expect(run(bytes, cuts)).toEqual(run(bytes, []));
      }),
    );
  });

  test('a frame arriving one byte at a time: long lines and many data lines, gathered whole', () => {
    const long = 'é'.repeat(30_000);
    const text = `id: 1\ndata: ${long}\n\n${'data: x\n'.repeat(2_000)}\n`;
    const bytes = encoder.encode(text);
    const cuts = Array.from({ length: bytes.length }, (_, i) => i);
    const frames = parseBytes(bytes, cuts, true);
    expect(frames).toEqual([
      { event: 'message', data: long, id: '1', plain: true },
      { event: 'message', data: Array(2_000).fill('x').join('\n'), id: '1', plain: false },
    ]);
  });

  test('invalid UTF-8 is replaced when read as text, and never marked plain', () => {
    const parser = new SseParser();
    const bytes = new Uint8Array([
      ...encoder.encode('data: a'),
      0xff,
      0xc3,
      ...encoder.encode('b\n\ndata: ok\n\n'),
    ]);
    const frames = parser.feed(bytes).map((frame) => view(frame, true));
    expect(frames[0]).toEqual({ event: 'message', data: 'a\uFFFD\uFFFDb', id: '', plain: false });
    expect(frames[1]?.data).toBe('ok');
    expect(frames[1]?.plain).toBe(false);
    // A character split across chunks is not invalid: the line is checked once it is whole.
    const split = encoder.encode('data: é☃\n\n');
    for (let cut = 7; cut < 12; cut++) {
      expect(parseBytes(split, [cut], true)).toEqual([{ event: 'message', data: 'é☃', id: '', plain: true }]);
    }
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
    );
  });
});

/** The WHATWG algorithm over decoded text, written plainly: what the byte parser must agree with. */
function reference(text: string): Frame[] {
  const frames: Frame[] = [];
  let data: string[] = [];
  let event = '';
  let id = '';
  for (const line of text.split(/\r\n|\r|\n/).slice(0, -1)) {
    if (line === '') {
      if (data.length > 0) frames.push({ event: event || 'message', data: data.join('\n'), id });
      data = [];
      event = '';
      continue;
    }
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    else if (field === 'id' && !value.includes('\0')) id = value;
  }
  return frames;
}
