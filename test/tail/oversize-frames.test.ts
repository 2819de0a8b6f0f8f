/**
 * A frame over the size limit is skipped without being held (its bytes are discarded until the
 * frame ends), counted, warned about once, and the stream goes on: the tail never reconnects
 * because of it (issue: one 50 MB frame made the tail reconnect forever and deliver nothing after).
 */
import { describe, expect, test } from 'vitest';
import { openTail } from '../../src/tail/engine.js';
import type { TailItem } from '../../src/tail/items.js';
import { SseParser } from '../../src/tail/sse-parser.js';
import { decoderUnderTest } from './decoder-under-test.js';
import { collect, frame, messages, ok, scriptedSource } from './scripted-source.js';

const LIMIT = 1_000;
const big = 'x'.repeat(LIMIT * 3);
const after = [1, 2, 3, 4, 5].map(frame).join('');

/** The text in pieces of `size` bytes (the last one shorter). */
function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

function warnings(items: readonly TailItem[]): string[] {
  return items.flatMap((item) => (item.kind === 'notice' && item.level === 'warn' ? [item.message] : []));
}

async function run(stream: string, chunk: number) {
  const source = scriptedSource((_id, signal) => ok(chunk === 0 ? [stream] : pieces(stream, chunk), signal));
  const tail = openTail({
    source,
    signal: new AbortController().signal,
    sleep: async () => {},
    resumeFrom: '0',
    maxEvents: 5,
    maxFrameBytes: LIMIT,
    decoder: decoderUnderTest(),
    // Bounds a tail that would reconnect forever (what the old engine did).
    maxRetries: 2,
  });
  const result = await collect(tail);
  return { ...result, opens: source.opens.length, counters: tail.counters };
}

describe.each([
  ['in one read', 0],
  ['in reads of 97 bytes', 97],
  ['a byte at a time', 1],
])('over the limit, %s', (_how, chunk) => {
  test.each([
    ['a data line', `id: 0\ndata: {"a":"${big}"}\n\n`, 1],
    [
      'data lines that add up to more',
      `data: {"a":\ndata: "${'y'.repeat(600)}",\ndata: "b":"${'y'.repeat(600)}"}\n\n`,
      1,
    ],
    ['an event: name', `event: ${big}\ndata: {}\n\n`, 1],
    ['an id: field', `id: ${big}\ndata: {}\n\n`, 1],
    ['a data line ending in CR', `data: ${big}\r\r`, 1],
    ['a comment (ignored at any size)', `:${big}\n\n`, 0],
    ['a line that is no field (ignored at any size)', `${big}\n\n`, 0],
    ['a retry: field (ignored at any size)', `retry: ${'9'.repeat(LIMIT * 3)}\n\n`, 0],
  ])(
    '%s: skipped, and the 5 events after it are delivered on the same connection',
    async (_what, head, skipped) => {
      const result = await run(head + after, chunk);
      expect(result.error).toBeUndefined();
      expect(messages(result.items)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
      expect(result.opens).toBe(1);
      expect(result.counters.tooLarge).toBe(skipped);
      expect(warnings(result.items).filter((w) => w.includes('larger than'))).toHaveLength(skipped);
    },
  );
});

test('many frames each just over the limit: all skipped and counted, one warning, the stream goes on', async () => {
  const over = `data: {"a":"${'z'.repeat(LIMIT)}"}\n\n`;
  const result = await run(over.repeat(200) + after, 4_096);
  expect(messages(result.items)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
  expect(result.opens).toBe(1);
  expect(result.counters.tooLarge).toBe(200);
  expect(warnings(result.items)).toEqual([expect.stringContaining('larger than 1000 B')]);
});

test('a frame just under the limit still passes', async () => {
  const fits = `id: 0\ndata: {"event_id":"fits","message":"${'f'.repeat(LIMIT - 60)}"}\n\n`;
  const result = await run(fits + after, 97);
  expect(messages(result.items)[0]).toMatch(/^f+$/);
  expect(result.counters.tooLarge).toBe(0);
});

test('the parser holds no more than the limit while it discards an endless line', () => {
  const parser = new SseParser({ maxFrameBytes: 100_000 });
  const chunk = new TextEncoder().encode('x'.repeat(65_536));
  parser.feed(new TextEncoder().encode('data: '));
  let most = 0;
  for (let i = 0; i < 800; i++) {
    expect(parser.feed(chunk)).toEqual([]);
    most = Math.max(most, parser.heldBytes);
  }
  expect(most).toBeLessThanOrEqual(100_000);
  const [next] = parser.feed(new TextEncoder().encode('\n\ndata: {"ok":1}\n\n'));
  expect(next?.data).toBe('{"ok":1}');
  expect(parser.tooLarge).toBe(1);
});
