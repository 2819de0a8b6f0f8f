/**
 * The WebAssembly frame decoder against the JavaScript one, the reference: over generated streams
 * cut at arbitrary places, for the API's stream and for any other stream's shapes, with and
 * without dedupe, both give the same pieces (events with the same bytes out, cursors and records,
 * the same duplicates, skipped frames, control meanings and notices), frames over the limit
 * skipped in the same chunk.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type DecodedPiece,
  type FrameDecoderFactory,
  sseFrameDecoder,
} from '../../src/tail/frame-decoder.js';
import { RecentIds } from '../../src/tail/recent-ids.js';
import { interpretQueryTailFrame, QUERY_TAIL_EVENT_FRAMES, type TailSource } from '../../src/tail/source.js';
import { interpretShapedFrame, SHAPED_EVENT_FRAMES } from '../../src/tail/url-source.js';
import { sseWasmModule } from '../../src/wasm/module.js';
import { tailFrameDecoder, wasmFrameDecoder } from '../../src/wasm/wasm-decoder.js';
import { bytesOf, cut, cuts, stream } from './generated-streams.js';

const module = sseWasmModule();
if (module === undefined) throw new Error('no WebAssembly framer: run the build first');
const wasmDecoder = wasmFrameDecoder(module, () => {
  throw new Error('the WebAssembly decoder fell back to JavaScript');
});

type Source = Pick<TailSource, 'interpret' | 'eventFrames'>;
const SOURCES: [string, Source][] = [
  ['the API stream', { interpret: interpretQueryTailFrame, eventFrames: QUERY_TAIL_EVENT_FRAMES }],
  ['any stream by its shape', { interpret: interpretShapedFrame, eventFrames: SHAPED_EVENT_FRAMES }],
  ['frames parsed on arrival', { interpret: interpretQueryTailFrame }],
];

/** Everything a piece tells the engine, in plain data. */
function plain(piece: DecodedPiece): unknown {
  if (piece.kind !== 'events') return piece;
  return {
    ...piece,
    events: piece.events.map((event) => ({
      raw: event.raw && Buffer.from(event.raw.bytes.subarray(event.raw.start, event.raw.end)).toString('hex'),
      cursor: event.cursor,
      event: event.event,
      backfilled: event.backfilled,
    })),
  };
}

function decodeAll(
  factory: FrameDecoderFactory,
  source: Source,
  chunks: readonly Uint8Array[],
  options: { dedupe: boolean; maxFrameBytes?: number; initialId?: string },
) {
  const decoder = factory({
    source,
    recent: options.dedupe ? new RecentIds(100) : undefined,
    initialId: options.initialId ?? '',
    maxFrameBytes: options.maxFrameBytes,
  });
  const pieces: unknown[] = [];
  for (const chunk of chunks) {
    for (const piece of decoder.decode(chunk)) pieces.push(plain(piece));
    pieces.push({ retryMs: decoder.retryMs });
  }
  return pieces;
}

describe.each(SOURCES)('the WebAssembly decoder decodes as the JavaScript one: %s', (_what, source) => {
  it('over arbitrary streams in arbitrary chunks, with dedupe and without', () => {
    fc.assert(
      fc.property(stream, cuts, fc.boolean(), (bytes, places, dedupe) => {
        const chunks = cut(bytes, places);
        expect(decodeAll(wasmDecoder, source, chunks, { dedupe })).toEqual(
          decodeAll(sseFrameDecoder, source, chunks, { dedupe }),
        );
      }),
    );
  });

  it('with a frame limit and an id in force from the start', () => {
    fc.assert(
      fc.property(stream, cuts, fc.integer({ min: 1, max: 300 }), fc.nat(99), (bytes, places, limit, id) => {
        const chunks = cut(bytes, places);
        const options = { dedupe: true, maxFrameBytes: limit, initialId: String(id) };
        expect(decodeAll(wasmDecoder, source, chunks, options)).toEqual(
          decodeAll(sseFrameDecoder, source, chunks, options),
        );
      }),
    );
  });

  it('drops the same duplicates, whatever spelling their event_id has', () => {
    const eventId = fc.constantFrom('"e1"', '"f1"', '"e2"', '"\\u00651"', '"e\\u0031"', '1', 'null', '"é1"');
    const frames = fc.array(fc.tuple(eventId, fc.boolean(), fc.boolean()), { maxLength: 20 });
    fc.assert(
      fc.property(frames, cuts, (specs, places) => {
        const text = specs
          .map(
            ([id, twice, spaced], n) =>
              `id: ${n}\ndata: {${spaced ? ' ' : ''}"event_id":${id},"n":1${twice ? `,"event_id":${id}` : ''}}\n\n`,
          )
          .join('');
        const chunks = cut(bytesOf(text), places);
        expect(decodeAll(wasmDecoder, source, chunks, { dedupe: true })).toEqual(
          decodeAll(sseFrameDecoder, source, chunks, { dedupe: true }),
        );
      }),
    );
  });

  it('events in a row are NDJSON lines in a row of one buffer', () => {
    const text = Array.from(
      { length: 5 },
      (_, i) => `id: ${i}\ndata: {"event_id":"e${i}","n":${i}}\n\n`,
    ).join('');
    const decoder = wasmDecoder({ source, recent: undefined, initialId: '' });
    const [piece] = [...decoder.decode(bytesOf(text))];
    if (source.eventFrames === undefined) return;
    if (piece?.kind !== 'events') throw new Error(`expected events, got ${piece?.kind}`);
    const first = piece.events[0]!.raw!;
    const last = piece.events.at(-1)!.raw!;
    expect(first.bytes).toBe(last.bytes);
    expect(Buffer.from(first.bytes.subarray(first.start, last.end + 1)).toString()).toBe(
      `${Array.from({ length: 5 }, (_, i) => `{"event_id":"e${i}","n":${i}}`).join('\n')}\n`,
    );
  });
});

describe('the tail picks its decoder', () => {
  it('WebAssembly when the build made it, JavaScript when SOTAIL_DECODER=js', () => {
    expect(tailFrameDecoder('js')).toBe(sseFrameDecoder);
    expect(tailFrameDecoder(undefined)).not.toBe(sseFrameDecoder);
    const decoder = tailFrameDecoder(undefined)({ source: SOURCES[0]![1], recent: undefined, initialId: '' });
    expect(decoder.constructor.name).toBe('WasmFrameDecoder');
  });
});
