/**
 * Several streams in one tail (`--url` repeated, beside the API's own tail): each stream runs its
 * own engine (src/tail/engine.ts), so it resumes, backs off, watches for silence and fills its
 * holes on its own, and the merge hands their items on as they arrive, each labelled with its
 * stream's name. docs/tail.md "Several streams in one tail" describes it for users.
 *
 * - Exactly once, per stream: an engine's batch counts as written out when the consumer comes
 *   back for the next item, so the merge asks that engine for its next item only then. Every
 *   other engine may have one item ready meanwhile, no more: memory stays bounded.
 * - As they arrive: items are handed on in the order they became ready, so a busy stream cannot
 *   starve a quiet one.
 * - Across all: `--count` counts the events of every stream, and the caller's signal (Ctrl-C,
 *   `--timeout`) ends them all. A stream that fails for good is said (an `ended` item with reason
 *   `failed`, labelled) and the others go on; the tail fails only when every stream has.
 */
import type { EventRecord } from '../model/event-record.js';
import { asBuffer } from '../util/bytes.js';
import { openTail, type TailOptions, type TailStream } from './engine.js';
import {
  type JsonBytes,
  type LabelledTailItem,
  STREAM_FIELD,
  type TailCounters,
  type TailEndReason,
  type TailEvent,
  type TailItem,
  type TailLink,
} from './items.js';

export interface MergedStreamSpec {
  /** The stream's short name: the label of its events and of its state items. */
  label: string;
  /** Its engine's options, but the signal and `--count`, which the merge owns. */
  options: Omit<TailOptions, 'signal' | 'maxEvents'>;
}

export interface MergeOptions {
  streams: readonly MergedStreamSpec[];
  /** Ends every stream (Ctrl-C, `--timeout`, stdout closed): the last item is `ended: aborted`. */
  signal: AbortSignal;
  /** `--count`: events of all streams together. */
  maxEvents?: number | undefined;
  now?: () => number;
}

/** One stream of a merged tail, as a status bar or a summary shows it. */
export interface StreamStatus {
  readonly label: string;
  /** Its own counters; `events` counts what the merge handed on. */
  readonly counters: Readonly<TailCounters>;
  readonly link: Readonly<TailLink>;
  /** How it ended, while the others went on (`failed`: `error` says why). */
  readonly ended?: TailEndReason | undefined;
  readonly error?: unknown;
}

/** A merged tail: the items of every stream, totals across them, and each stream's own status. */
export interface MergedTailStream extends TailStream {
  readonly streams: readonly StreamStatus[];
  [Symbol.asyncIterator](): AsyncIterator<LabelledTailItem>;
}

export function openMergedTail(options: MergeOptions): MergedTailStream {
  const run = new MergeRun(options);
  return {
    counters: run.counters,
    get link() {
      return run.link;
    },
    streams: run.lanes,
    [Symbol.asyncIterator]: () => run.items(),
  };
}

/** What an engine's `next()` came to. */
type Settled = { lane: Lane; result: IteratorResult<TailItem> } | { lane: Lane; error: unknown };

class Lane implements StreamStatus {
  readonly label: string;
  readonly stream: TailStream;
  readonly iterator: AsyncIterator<TailItem>;
  readonly labelJson: Buffer;
  events = 0;
  done = false;
  ended: TailEndReason | undefined;
  error: unknown;

  constructor(spec: MergedStreamSpec, signal: AbortSignal) {
    this.label = spec.label;
    this.stream = openTail({ ...spec.options, signal });
    this.iterator = this.stream[Symbol.asyncIterator]();
    this.labelJson = Buffer.from(`${JSON.stringify(STREAM_FIELD)}:${JSON.stringify(spec.label)}`);
  }

  get counters(): Readonly<TailCounters> {
    return { ...this.stream.counters, events: this.events };
  }

  get link(): Readonly<TailLink> {
    return this.stream.link;
  }
}

class MergeRun {
  readonly lanes: Lane[];
  readonly counters: Readonly<TailCounters>;
  readonly #options: MergeOptions;
  /** Aborts every engine: the caller's signal, `--count` reached, or the consumer gone. */
  readonly #stop = new AbortController();
  readonly #ready: Settled[] = [];
  #wake: (() => void) | undefined;

  constructor(options: MergeOptions) {
    if (options.streams.length === 0) throw new Error('a merged tail needs at least one stream');
    this.#options = options;
    const signal = AbortSignal.any([options.signal, this.#stop.signal]);
    this.lanes = options.streams.map((spec) => new Lane(spec, signal));
    this.counters = totals(this.lanes, (options.now ?? Date.now)());
  }

  /** Live only when every stream is: a `--timeout` then means the events never came (124). */
  get link(): TailLink {
    const links = this.lanes.map((lane) => lane.link);
    if (links.every((link) => link.state === 'live')) {
      return { state: 'live', since: Math.max(...links.map((link) => link.since ?? 0)) };
    }
    const out = this.lanes.filter((lane) => lane.link.state !== 'live');
    const lastFailure = out
      .map((lane) => `${lane.label}: ${lane.link.lastFailure ?? lane.link.state.replace('-', ' ')}`)
      .join('; ');
    const state = links.every((link) => link.state === 'never-connected') ? 'never-connected' : 'lost';
    return { state, lastFailure, lastHint: out.find((lane) => lane.link.lastHint)?.link.lastHint };
  }

  async *items(): AsyncGenerator<LabelledTailItem, void, undefined> {
    for (const lane of this.lanes) this.#pull(lane);
    let taken: Lane | undefined;
    let open = this.lanes.length;
    let lastFailed: Lane | undefined;
    try {
      while (open > 0) {
        // The consumer came back: what it took from that stream is written out.
        if (taken !== undefined && !taken.done) this.#pull(taken);
        taken = undefined;
        const settled = await this.#next();
        const { lane } = settled;
        if ('error' in settled || settled.result.done) {
          lane.done = true;
          open -= 1;
          if ('error' in settled && !this.#options.signal.aborted) {
            lane.ended = 'failed';
            lane.error = settled.error;
            lastFailed = lane;
            // The others go on; the last one's error is the tail's own (below).
            if (open > 0)
              yield { kind: 'ended', reason: 'failed', detail: errorText(settled.error), stream: lane.label };
          }
          continue;
        }
        taken = lane;
        const item = settled.result.value;
        if (item.kind === 'ended') {
          // Aborted: the merge says it once, for all. Another end is this stream's alone.
          if (item.reason === 'aborted') continue;
          lane.ended = item.reason;
          yield { ...item, stream: lane.label };
          continue;
        }
        if (item.kind !== 'batch') {
          yield { ...item, stream: lane.label };
          continue;
        }
        const max = this.#options.maxEvents;
        const total = this.counters.events;
        const events =
          max !== undefined && total + item.events.length >= max
            ? item.events.slice(0, max - total)
            : item.events;
        lane.events += events.length;
        yield {
          kind: 'batch',
          events: events.map((event) => new LabelledEvent(event, lane.label, lane.labelJson)),
          cursor: events === item.events ? item.cursor : events.at(-1)?.cursor,
          stream: lane.label,
        };
        if (max !== undefined && this.counters.events >= max) {
          yield { kind: 'ended', reason: 'count' };
          return;
        }
      }
      // Every stream has ended: aborted, or each on its own. A stream that failed makes the tail
      // fail (the latest failure is the one not said yet), so that a script sees it.
      if (this.#options.signal.aborted) {
        yield { kind: 'ended', reason: 'aborted' };
        return;
      }
      if (lastFailed !== undefined) throw lastFailed.error;
      yield { kind: 'ended', reason: 'server-stop', detail: 'every stream has ended' };
    } finally {
      await this.#close();
    }
  }

  /** Asks one engine for its next item; it joins the queue of ready ones when it comes. */
  #pull(lane: Lane): void {
    lane.iterator.next().then(
      (result) => this.#arrive({ lane, result }),
      (error: unknown) => this.#arrive({ lane, error }),
    );
  }

  #arrive(settled: Settled): void {
    this.#ready.push(settled);
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  async #next(): Promise<Settled> {
    for (;;) {
      const first = this.#ready.shift();
      if (first !== undefined) return first;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  /** Ends every engine still running and waits until each has closed its connection. */
  async #close(): Promise<void> {
    this.#stop.abort();
    await Promise.allSettled(
      this.lanes.filter((lane) => !lane.done).map((lane) => lane.iterator.return?.(undefined)),
    );
  }
}

/** Counters across every stream, read when asked: every count the engines keep, summed. */
function totals(lanes: readonly Lane[], startedAt: number): Readonly<TailCounters> {
  const counters = { startedAt } as TailCounters;
  const keys = Object.keys(lanes[0]!.stream.counters).filter((key) => key !== 'startedAt') as Exclude<
    keyof TailCounters,
    'startedAt'
  >[];
  for (const key of keys) {
    // `events` is what the merge handed on (a batch cut at --count counts as cut).
    const get = (): number =>
      lanes.reduce((n, lane) => n + (key === 'events' ? lane.events : lane.stream.counters[key]), 0);
    Object.defineProperty(counters, key, { get, enumerable: true });
  }
  return counters;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * An event of a merged tail: the stream's event, with its stream's name in `STREAM_FIELD`, the
 * last key, both in the record renderers read and in the JSON NDJSON writes (a key of that name
 * the event had itself is shadowed: every JSON reader that meets a key twice, jq and
 * `JSON.parse` among them, takes the last).
 */
export class LabelledEvent implements TailEvent {
  readonly #inner: TailEvent;
  readonly #labelJson: Buffer;
  readonly stream: string;

  constructor(inner: TailEvent, stream: string, labelJson: Buffer) {
    this.#inner = inner;
    this.stream = stream;
    this.#labelJson = labelJson;
  }

  get event(): EventRecord {
    return { ...this.#inner.event, [STREAM_FIELD]: this.stream };
  }

  /** The stream's JSON with the label spliced in before its closing brace; made when written. */
  get raw(): JsonBytes | undefined {
    const raw = this.#inner.raw;
    return raw === undefined ? undefined : withLabel(raw, this.#labelJson);
  }

  get cursor(): string | undefined {
    return this.#inner.cursor;
  }

  get backfilled(): boolean | undefined {
    return this.#inner.backfilled;
  }
}

/** `{…}` as `{…,"_stream":"name"}`; undefined when the text is not an object (then it is serialised). */
function withLabel(raw: JsonBytes, labelJson: Buffer): JsonBytes | undefined {
  const { bytes } = raw;
  let close = raw.end - 1;
  while (close > raw.start && isSpace(bytes[close]!)) close -= 1;
  if (bytes[close] !== CLOSE_BRACE) return undefined;
  let before = close - 1;
  while (before > raw.start && isSpace(bytes[before]!)) before -= 1;
  const empty = bytes[before] === OPEN_BRACE;
  const head = close - raw.start;
  const out = Buffer.allocUnsafe(head + (empty ? 0 : 1) + labelJson.length + 1);
  asBuffer(bytes).copy(out, 0, raw.start, close);
  let at = head;
  if (!empty) out[at++] = COMMA;
  labelJson.copy(out, at);
  out[out.length - 1] = CLOSE_BRACE;
  return { bytes: out, start: 0, end: out.length };
}

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const COMMA = 0x2c;

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}
