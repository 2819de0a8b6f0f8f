/**
 * The byte path of the tail: from the chunks of one connection to what they mean — runs of log
 * events (checked, deduplicated) and control meanings (`gap`, `reset`, `scope-destroyed`) — with
 * no knowledge of connections, backoff or the position in the log (src/tail/engine.ts owns those).
 *
 * `FrameDecoder` is the seam: the engine takes a factory, so another implementation of the same
 * contract (a WebAssembly one) can replace this byte path without touching the connection logic.
 * The contract, which the JavaScript decoder below defines:
 * - the WHATWG `text/event-stream` rules (src/tail/sse-parser.ts); one decoder per connection;
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
  /** Frames that carried no event (data that is not JSON, or JSON that is no event). */
  | { kind: 'skipped'; frames: number }
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
  readonly #source: FrameDecoderOptions['source'];
  readonly #recent: RecentIds | undefined;
  readonly #scanner = new JsonByteScanner();
  #saidNoIds = false;

  constructor(options: FrameDecoderOptions) {
    this.#source = options.source;
    this.#recent = options.recent;
    this.#parser = new SseParser({ maxFrameBytes: options.maxFrameBytes, initialId: options.initialId });
  }

  get retryMs(): number | undefined {
    return this.#parser.retryMs;
  }

  decode(chunk: Uint8Array): Iterable<DecodedPiece> {
    const frames = this.#parser.feed(chunk);
    return frames.length === 0 ? NOTHING : this.#pieces(frames);
  }

  *#pieces(frames: readonly SseFrame[]): Generator<DecodedPiece, void, undefined> {
    let run = new Run();
    const eventFrames = this.#source.eventFrames;
    for (const frame of frames) {
      // The firehose path: an event frame is checked as bytes and parsed only if a renderer reads it.
      if (frame.plain && eventFrames?.names.has(frame.event)) {
        const kind = this.#scanner.scan(frame.bytes, frame.start, frame.end);
        if (kind === NOT_JSON) {
          run.skipped += 1;
          continue;
        }
        if (kind === JSON_OBJECT) {
          if (!frame.hasId) run.noIds = true;
          const event = new StreamedEvent(frame, eventFrames.display);
          run.add(frame, this.#firstSeen(event) ? event : undefined);
          continue;
        }
        // Not an object: what it means is the source's to say, below.
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(frame.data);
      } catch {
        parsed = undefined;
        if (frame.event === 'message') {
          run.skipped += 1;
          continue;
        }
      }
      const meaning = this.#source.interpret(frame.event, parsed);
      if (meaning.kind === 'event') {
        const id = frame.hasId ? frame.id : undefined;
        if (id === undefined) run.noIds = true;
        const eventId = meaning.record.event_id;
        if (this.#recent && typeof eventId === 'string' && !this.#recent.add(eventId)) {
          run.add(frame, undefined);
          continue;
        }
        // The JSON as it arrived, when it is the record: as bytes when it fits on one line as it
        // is, else as its text on one line (never serialised again, which a value nested deep
        // enough could not survive).
        const raw = meaning.record !== parsed ? undefined : frame.plain ? frame : oneLineJson(frame.data);
        const event = meaning.display
          ? lazyEvent(meaning.record, meaning.display, raw, id)
          : { event: meaning.record, raw, cursor: id };
        run.add(frame, event);
        continue;
      }
      if (meaning.kind === 'invalid') run.skipped += 1;
      if (meaning.kind === 'ignore' || meaning.kind === 'invalid') continue;
      yield* this.#end(run);
      run = new Run();
      yield { kind: 'control', meaning };
    }
    yield* this.#end(run);
  }

  /** The pieces of a finished run: its notices first, then its events (or its cursor alone). */
  *#end(run: Run): Generator<DecodedPiece, void, undefined> {
    if (run.skipped > 0) yield { kind: 'skipped', frames: run.skipped };
    if (run.noIds && !this.#saidNoIds) {
      this.#saidNoIds = true;
      yield { kind: 'no-ids' };
    }
    if (run.events.length > 0 || run.cursorFrame !== undefined || run.duplicates > 0) {
      yield { kind: 'events', events: run.events, cursor: run.cursorFrame?.id, duplicates: run.duplicates };
    }
  }

  /**
   * Remembers a streamed event's `event_id`; false when it was delivered already. The id is read
   * from the bytes where the scan found it, parsed only when escapes hide it.
   */
  #firstSeen(event: StreamedEvent): boolean {
    const recent = this.#recent;
    if (recent === undefined) return true;
    const scan = this.#scanner;
    let eventId: unknown;
    if (scan.idNeedsParse) eventId = event.record.event_id;
    else if (scan.idStart !== -1) eventId = utf8Text(event.raw.bytes, scan.idStart, scan.idEnd);
    return typeof eventId !== 'string' || recent.add(eventId);
  }
}

const NOTHING: readonly DecodedPiece[] = [];

/** Events read between two control frames, and what came with them. */
class Run {
  readonly events: TailEvent[] = [];
  /** The last frame that carried an id: the run's cursor, decoded only when the run ends. */
  cursorFrame: SseFrame | undefined;
  duplicates = 0;
  skipped = 0;
  noIds = false;

  /** Adds an event, or counts a duplicate (undefined); either way its id moves the cursor on. */
  add(frame: SseFrame, event: TailEvent | undefined): void {
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
