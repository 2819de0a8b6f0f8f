/**
 * The byte path of the tail: from the chunks of one connection to what they mean — runs of log
 * events (checked, deduplicated) and control meanings (`gap`, `reset`, `scope-destroyed`) — with
 * no knowledge of connections, backoff or the position in the log (src/tail/engine.ts owns those).
 *
 * `FrameDecoder` is the seam: the engine takes a factory, so another implementation of the same
 * contract (a WebAssembly one) can replace this byte path without touching the connection logic.
 * The contract, which the JavaScript decoder below defines:
 * - the WHATWG `text/event-stream` rules (src/tail/sse-parser.ts); one decoder per connection;
 * - memory bounded by `maxFrameBytes`: a frame over it is discarded as it arrives and reported
 *   as skipped (`too-large`), and the stream goes on;
 * - an event frame of the source (`eventFrames`) whose data is a JSON object passes as its bytes
 *   when it is one line of valid UTF-8 (`TailEvent.raw`), else as its text on one line; data that
 *   is not JSON is skipped and counted; anything else is the source's to interpret;
 * - events whose `event_id` was delivered already (`recent`) are dropped and counted, but their
 *   ids still move the cursor;
 * - pieces are decoded lazily, as the engine takes them: history the engine delivers between two
 *   pieces (a gap's backfill) is known to the dedupe of the next, and what follows a piece the
 *   engine stops at (a reset) is never decoded.
 */
import type { EventRecord } from '../model/event-record.js';
import { utf8Text } from '../util/bytes.js';
import { JSON_OBJECT, JsonByteScanner, NOT_JSON } from '../util/json-bytes.js';
import type { JsonBytes, TailEvent } from './items.js';
import type { RecentIds } from './recent-ids.js';
import type { FrameMeaning, TailSource } from './source.js';
import { type SseFrame, SseParser } from './sse-parser.js';
import { StreamedEvent } from './streamed-event.js';

/** A control frame's meaning: what the engine acts on between runs of events. */
export type ControlMeaning = Extract<FrameMeaning, { kind: 'gap' | 'reset' | 'scope-destroyed' }>;

/** What one stretch of a chunk decoded to, in stream order. */
export type DecodedPiece =
  /**
   * Events to deliver together (possibly none, when every one was a duplicate). `cursor` is the id
   * of the last frame of the run that carried one, duplicates included: where the stream resumes
   * once the run is written out.
   */
  | { kind: 'events'; events: TailEvent[]; cursor: string | undefined; duplicates: number }
  | { kind: 'control'; meaning: ControlMeaning }
  /** Frames that carried no event: data that is not a JSON event, or a frame over the size limit. */
  | { kind: 'skipped'; frames: number; why: 'not-json' | 'too-large' }
  /** The first event frame of this connection without an id: a reconnect cannot resume exactly. */
  | { kind: 'no-ids' };

export interface FrameDecoder {
  /**
   * Takes the next bytes of the connection and returns what they complete, decoded piece by piece
   * as the caller iterates. The chunk must not change afterwards (events may refer to its bytes).
   */
  decode(chunk: Uint8Array): Iterable<DecodedPiece>;
  /** The latest `retry:` the stream sent, in ms, as of the last `decode` call's return. */
  readonly retryMs: number | undefined;
}

export interface FrameDecoderOptions {
  /** How the source's frames read: its event frame names and its interpretation of the rest. */
  source: Pick<TailSource, 'interpret' | 'eventFrames'>;
  /** Ids delivered lately, shared with the engine's history walks; undefined: no dedupe. */
  recent: RecentIds | undefined;
  /** The id in force before the first frame (the cursor the connection resumed from). */
  initialId: string;
  /** Largest frame held in memory, in bytes. */
  maxFrameBytes?: number | undefined;
}

/** Makes the decoder of one connection. */
export type FrameDecoderFactory = (options: FrameDecoderOptions) => FrameDecoder;

/** The JavaScript decoder: the project's SSE parser and the JSON byte scanner. */
export const sseFrameDecoder: FrameDecoderFactory = (options) => new SseFrameDecoder(options);

class SseFrameDecoder implements FrameDecoder {
  readonly #parser: SseParser;
  readonly #eventFrames: FrameDecoderOptions['source']['eventFrames'];
  readonly #pieces: PieceAssembler;
  readonly #scanner = new JsonByteScanner();

  constructor(options: FrameDecoderOptions) {
    this.#eventFrames = options.source.eventFrames;
    this.#pieces = new PieceAssembler(options.source, options.recent);
    this.#parser = new SseParser({ maxFrameBytes: options.maxFrameBytes, initialId: options.initialId });
  }

  get retryMs(): number | undefined {
    return this.#parser.retryMs;
  }

  decode(chunk: Uint8Array): Iterable<DecodedPiece> {
    const parser = this.#parser;
    const tooLargeBefore = parser.tooLarge;
    const frames = parser.feed(chunk);
    const tooLarge = parser.tooLarge - tooLargeBefore;
    return frames.length === 0 && tooLarge === 0 ? NOTHING : this.#decoded(frames, tooLarge);
  }

  *#decoded(frames: readonly SseFrame[], tooLarge: number): Generator<DecodedPiece, void, undefined> {
    if (tooLarge > 0) yield tooLargePiece(tooLarge);
    const pieces = this.#pieces;
    const eventFrames = this.#eventFrames;
    for (const frame of frames) {
      // The firehose path: an event frame is checked as bytes and parsed only if a renderer reads it.
      if (frame.plain && eventFrames?.names.has(frame.event)) {
        const kind = this.#scanner.scan(frame.bytes, frame.start, frame.end);
        if (kind === NOT_JSON) {
          pieces.skip();
          continue;
        }
        if (kind === JSON_OBJECT) {
          const event = new StreamedEvent(frame, eventFrames.display);
          pieces.event(frame, event, pieces.dedupes ? this.#eventId(event) : undefined);
          continue;
        }
        // Not an object: what it means is the source's to say, below.
      }
      const control = pieces.other(frame);
      if (control !== undefined) {
        yield* pieces.end();
        yield { kind: 'control', meaning: control };
      }
    }
    yield* pieces.end();
  }

  /** A streamed event's `event_id`, read from the bytes where the scan found it, parsed only when escapes hide it. */
  #eventId(event: StreamedEvent): unknown {
    const scan = this.#scanner;
    if (scan.idNeedsParse) return event.record.event_id;
    return scan.idStart === -1 ? undefined : utf8Text(event.raw.bytes, scan.idStart, scan.idEnd);
  }
}

const NOTHING: readonly DecodedPiece[] = [];

/** Frames over the size limit, skipped as their bytes arrived (any decoder reports them so). */
export function tooLargePiece(frames: number): DecodedPiece {
  return { kind: 'skipped', frames, why: 'too-large' };
}

/** Where a frame's id is: the id in force when it was dispatched, decoded when asked for. */
export interface FrameIdRef {
  readonly hasId: boolean;
  readonly id: string;
}

/** A frame read by its text (what the byte check leaves to JSON.parse and the source). */
export interface TextFrame extends FrameIdRef, JsonBytes {
  /** The `event:` name, `message` when the frame had none. */
  readonly event: string;
  readonly data: string;
  /** The data's bytes are one line of valid UTF-8: they can be written out as they are. */
  readonly plain: boolean;
}

/**
 * Frames to pieces, for any decoder once it has checked (or not) a frame's bytes: events gathered
 * into runs between control frames, duplicates dropped by `event_id`, and the frames the check did
 * not settle read with JSON.parse and the source's interpretation. One per decoder: it remembers
 * whether it said already that the stream sends no ids.
 */
export class PieceAssembler {
  readonly #source: FrameDecoderOptions['source'];
  readonly #recent: RecentIds | undefined;
  #run = new Run();
  #saidNoIds = false;

  constructor(source: FrameDecoderOptions['source'], recent: RecentIds | undefined) {
    this.#source = source;
    this.#recent = recent;
  }

  /** Whether events are deduplicated: `event` then wants their `event_id`. */
  get dedupes(): boolean {
    return this.#recent !== undefined;
  }

  /** An event frame whose data was checked to be a JSON object: added, or dropped as a duplicate of `eventId`. */
  event(frame: FrameIdRef, event: TailEvent, eventId: unknown): void {
    const run = this.#run;
    if (!frame.hasId) run.noIds = true;
    const firstSeen = typeof eventId !== 'string' || this.#recent?.add(eventId) !== false;
    run.add(frame, firstSeen ? event : undefined);
  }

  /** An event frame whose data is not JSON. */
  skip(): void {
    this.#run.skipped += 1;
  }

  /**
   * A frame the byte check did not settle, read by its text. Returns its meaning when it is a
   * control frame, which ends the run (the caller then yields `end()` and the control piece).
   */
  other(frame: TextFrame): ControlMeaning | undefined {
    const run = this.#run;
    let parsed: unknown;
    try {
      parsed = JSON.parse(frame.data);
    } catch {
      parsed = undefined;
      if (frame.event === 'message') {
        run.skipped += 1;
        return undefined;
      }
    }
    const meaning = this.#source.interpret(frame.event, parsed);
    if (meaning.kind === 'event') {
      const id = frame.hasId ? frame.id : undefined;
      if (id === undefined) run.noIds = true;
      const eventId = meaning.record.event_id;
      if (this.#recent && typeof eventId === 'string' && !this.#recent.add(eventId)) {
        run.add(frame, undefined);
        return undefined;
      }
      // The JSON as it arrived, when it is the record: as bytes when it fits on one line as it
      // is, else as its text on one line (never serialised again, which a value nested deep
      // enough could not survive).
      const raw = meaning.record !== parsed ? undefined : frame.plain ? frame : oneLineJson(frame.data);
      const event = meaning.display
        ? lazyEvent(meaning.record, meaning.display, raw, id)
        : { event: meaning.record, raw, cursor: id };
      run.add(frame, event);
      return undefined;
    }
    if (meaning.kind === 'invalid') run.skipped += 1;
    if (meaning.kind === 'ignore' || meaning.kind === 'invalid') return undefined;
    return meaning;
  }

  /** The pieces of the run so far (its notices first, then its events or its cursor alone); a new run starts. */
  *end(): Generator<DecodedPiece, void, undefined> {
    const run = this.#run;
    this.#run = new Run();
    if (run.skipped > 0) yield { kind: 'skipped', frames: run.skipped, why: 'not-json' };
    if (run.noIds && !this.#saidNoIds) {
      this.#saidNoIds = true;
      yield { kind: 'no-ids' };
    }
    if (run.events.length > 0 || run.cursorFrame !== undefined || run.duplicates > 0) {
      yield { kind: 'events', events: run.events, cursor: run.cursorFrame?.id, duplicates: run.duplicates };
    }
  }
}

/** Events read between two control frames, and what came with them. */
class Run {
  readonly events: TailEvent[] = [];
  /** The last frame that carried an id: the run's cursor, decoded only when the run ends. */
  cursorFrame: FrameIdRef | undefined;
  duplicates = 0;
  skipped = 0;
  noIds = false;

  /** Adds an event, or counts a duplicate (undefined); either way its id moves the cursor on. */
  add(frame: FrameIdRef, event: TailEvent | undefined): void {
    if (event === undefined) this.duplicates += 1;
    else this.events.push(event);
    if (frame.hasId) this.cursorFrame = frame;
  }
}

/** An event whose display form is computed on first read (and kept). */
function lazyEvent(
  record: EventRecord,
  display: (record: EventRecord) => EventRecord,
  raw: JsonBytes | undefined,
  cursor: string | undefined,
): TailEvent {
  let shown: EventRecord | undefined;
  return {
    get event() {
      shown ??= display(record);
      return shown;
    },
    raw,
    cursor,
  };
}

/**
 * JSON text on one line, as bytes. A line break in valid JSON text can only be whitespace between
 * tokens (never inside a string), so a space does as well.
 */
function oneLineJson(text: string): JsonBytes {
  const bytes = Buffer.from(text.replace(/[\r\n]/g, ' '));
  return { bytes, start: 0, end: bytes.length };
}
