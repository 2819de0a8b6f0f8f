/**
 * Several streams in one tail, driven by scripted streams: every event of every stream once and
 * labelled, each stream resuming on its own, one failing while the others go on, `--count` across
 * all, and the label in the JSON that NDJSON writes.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ApiError } from '../../src/errors.js';
import { formatNdjsonBatch } from '../../src/output/format-ndjson.js';
import { type LabelledTailItem, STREAM_FIELD, type TailEvent } from '../../src/tail/items.js';
import { LabelledEvent, type MergedStreamSpec, openMergedTail } from '../../src/tail/merge.js';
import { decoderUnderTest } from './decoder-under-test.js';
import { ok, type Step, scriptedSource } from './scripted-source.js';

const noSleep = async (): Promise<void> => {};
const cutError = (): Error => Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });

/** Event `n` of stream `tag`: its id is `n`, its message `tag:n`. */
function frameOf(tag: string, n: number): string {
  return `id: ${n}\ndata: ${JSON.stringify({ event_id: `${tag}-${n}`, ts: new Date(n).toISOString(), message: `${tag}:${n}` })}\n\n`;
}

function framesOf(tag: string, from: number, to: number): string {
  let text = '';
  for (let n = from; n <= to; n += 1) text += frameOf(tag, n);
  return text;
}

function spec(label: string, source: MergedStreamSpec['options']['source']): MergedStreamSpec {
  return { label, options: { source, sleep: noSleep, decoder: decoderUnderTest(), resumeFrom: '0' } };
}

/** A stream that sends events `1..total`, resuming after `Last-Event-ID`, in the steps `shape` makes. */
function streamOf(
  tag: string,
  total: number,
  shape: (text: string, attempt: number) => Step[] = (text) => [text],
) {
  return scriptedSource((lastEventId, signal, attempt) => {
    const text = framesOf(tag, Number(lastEventId ?? 0) + 1, total);
    return ok([...shape(text, attempt), { hang: true }], signal);
  });
}

async function run(streams: MergedStreamSpec[], maxEvents?: number, signal = new AbortController().signal) {
  const tail = openMergedTail({ streams, signal, maxEvents });
  const items: LabelledTailItem[] = [];
  let error: unknown;
  try {
    for await (const item of tail) items.push(item);
  } catch (caught) {
    error = caught;
  }
  return { tail, items, error };
}

/** The messages of the events handed on, each checked against the batch's label. */
function labelled(items: readonly LabelledTailItem[]): string[] {
  return items.flatMap((item) => {
    if (item.kind !== 'batch') return [];
    return item.events.map((event) => {
      expect(event.stream).toBe(item.stream);
      expect(event.event[STREAM_FIELD]).toBe(item.stream);
      return `${item.stream}/${String(event.event.message)}`;
    });
  });
}

const perStream = (messages: string[], label: string): string[] =>
  messages.filter((m) => m.startsWith(`${label}/`));

describe('a merged tail', () => {
  test('every event of every stream once, labelled; --count across all ends every stream', async () => {
    const a = streamOf('a', 3);
    const b = streamOf('b', 2);
    const { items, error, tail } = await run([spec('one', a), spec('two', b)], 5);
    expect(error).toBeUndefined();
    const messages = labelled(items);
    expect(perStream(messages, 'one')).toEqual(['one/a:1', 'one/a:2', 'one/a:3']);
    expect(perStream(messages, 'two')).toEqual(['two/b:1', 'two/b:2']);
    expect(items.at(-1)).toEqual({ kind: 'ended', reason: 'count' });
    expect(tail.counters.events).toBe(5);
    expect(tail.streams.map((s) => [s.label, s.counters.events])).toEqual([
      ['one', 3],
      ['two', 2],
    ]);
  });

  test('--count cuts the batch that reaches it, wherever it comes from', async () => {
    const { items } = await run([spec('one', streamOf('a', 10)), spec('two', streamOf('b', 10))], 7);
    expect(labelled(items)).toHaveLength(7);
    expect(items.filter((item) => item.kind === 'ended')).toEqual([{ kind: 'ended', reason: 'count' }]);
  });

  test('each stream resumes on its own: a cut of one reconnects it after its own last event', async () => {
    const a = streamOf('a', 4, (text, attempt) => {
      // The first connection is cut after two whole events and half of the third.
      if (attempt === 1) return [text.slice(0, frameOf('a', 1).length * 2 + 10), cutError()];
      return [text];
    });
    const b = streamOf('b', 3);
    const { items } = await run([spec('one', a), spec('two', b)], 7);
    const messages = labelled(items);
    expect(perStream(messages, 'one')).toEqual(['one/a:1', 'one/a:2', 'one/a:3', 'one/a:4']);
    expect(perStream(messages, 'two')).toEqual(['two/b:1', 'two/b:2', 'two/b:3']);
    expect(a.opens).toEqual(['0', '2']);
    expect(b.opens).toEqual(['0']);
    // The state of the stream that reconnected names it.
    expect(items).toContainEqual(expect.objectContaining({ kind: 'reconnecting', stream: 'one' }));
    expect(items.filter((item) => item.kind === 'reconnecting' && item.stream !== 'one')).toEqual([]);
  });

  test('a stream that fails for good is said, and the others go on', async () => {
    const refused = scriptedSource(() => {
      throw new ApiError({
        status: 401,
        code: 'unauthorized',
        message: 'token rejected',
        url: 'http://x',
        extra: {},
      });
    });
    const stop = new AbortController();
    const tail = openMergedTail({
      streams: [spec('bad', refused), spec('good', streamOf('g', 3))],
      signal: stop.signal,
    });
    const items: LabelledTailItem[] = [];
    for await (const item of tail) {
      items.push(item);
      if (labelled(items).length === 3) stop.abort();
    }
    expect(labelled(items)).toEqual(['good/g:1', 'good/g:2', 'good/g:3']);
    expect(items).toContainEqual({
      kind: 'ended',
      reason: 'failed',
      detail: 'token rejected',
      stream: 'bad',
    });
    expect(items.at(-1)).toEqual({ kind: 'ended', reason: 'aborted' });
    expect(tail.streams.map((s) => s.ended)).toEqual(['failed', undefined]);
    // Not every stream was live: a --timeout now means "out of reach" (exit 5), naming it.
    expect(tail.link).toMatchObject({ state: 'lost', lastFailure: expect.stringMatching(/^bad: /) });
  });

  test('when every stream has failed, the tail fails with the last error', async () => {
    const refuse = (message: string) =>
      scriptedSource(() => {
        throw new ApiError({ status: 403, code: 'forbidden', message, url: 'http://x', extra: {} });
      });
    const { items, error } = await run([spec('a', refuse('first')), spec('b', refuse('second'))]);
    expect(error).toBeInstanceOf(ApiError);
    // One failure was said while the other stream could still go on; the last is the tail's error.
    expect(items.filter((item) => item.kind === 'ended')).toHaveLength(1);
  });

  test('a busy stream does not starve a quiet one: items are handed on as they become ready', async () => {
    const busy = scriptedSource((_id, signal) => {
      const steps: Step[] = Array.from({ length: 200 }, (_, i) => frameOf('busy', i + 1));
      return ok([...steps, { hang: true }], signal);
    });
    const { items } = await run([spec('busy', busy), spec('quiet', streamOf('q', 1))], 20);
    expect(labelled(items)).toContain('quiet/q:1');
  });

  test('any cuts in any stream: each stream every event once, in order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 12 }), fc.array(fc.nat(2_000), { maxLength: 4 })), {
          minLength: 1,
          maxLength: 3,
        }),
        async (shapes) => {
          const sources = shapes.map(([total, cuts], i) =>
            streamOf(`s${i}`, total, (text, attempt) => {
              const cut = cuts[attempt - 1];
              return cut === undefined ? [text] : [text.slice(0, cut % (text.length + 1)), cutError()];
            }),
          );
          const total = shapes.reduce((n, [count]) => n + count, 0);
          fc.pre(total > 0);
          const { items, error } = await run(
            sources.map((source, i) => spec(`s${i}`, source)),
            total,
          );
          expect(error).toBeUndefined();
          const messages = labelled(items);
          shapes.forEach(([count], i) => {
            expect(perStream(messages, `s${i}`)).toEqual(
              Array.from({ length: count }, (_, n) => `s${i}/s${i}:${n + 1}`),
            );
          });
        },
      ),
    );
  });
});

describe('a labelled event', () => {
  const event = (json: string): TailEvent => {
    const bytes = Buffer.from(`xx${json}yy`);
    return { event: JSON.parse(json), raw: { bytes, start: 2, end: 2 + Buffer.byteLength(json) } };
  };
  const label = Buffer.from(`"${STREAM_FIELD}":"api"`);

  test.each([
    ['{"a":1}', `{"a":1,"${STREAM_FIELD}":"api"}`],
    ['{}', `{"${STREAM_FIELD}":"api"}`],
    ['{ }', `{ "${STREAM_FIELD}":"api"}`],
    ['{"a":{"b":[1]}} \n', `{"a":{"b":[1]},"${STREAM_FIELD}":"api"}`],
  ])('%j is written as %j, valid JSON whose label is the last key', (json, expected) => {
    const labelledEvent = new LabelledEvent(event(json), 'api', label);
    const line = formatNdjsonBatch([labelledEvent]).toString();
    expect(line).toBe(`${expected}\n`);
    expect(JSON.parse(line)[STREAM_FIELD]).toBe('api');
  });

  test("an event's own key of the label's name is shadowed by the label, in the record and in the JSON", () => {
    const labelledEvent = new LabelledEvent(event(`{"${STREAM_FIELD}":"spoofed","m":1}`), 'api', label);
    expect(labelledEvent.event[STREAM_FIELD]).toBe('api');
    expect(JSON.parse(formatNdjsonBatch([labelledEvent]).toString())[STREAM_FIELD]).toBe('api');
  });

  test('an event without its bytes (history) is serialised with the label', () => {
    const labelledEvent = new LabelledEvent({ event: { m: 1 }, backfilled: true }, 'api', label);
    expect(JSON.parse(formatNdjsonBatch([labelledEvent]).toString())).toEqual({
      m: 1,
      [STREAM_FIELD]: 'api',
    });
    expect(labelledEvent.backfilled).toBe(true);
  });
});
