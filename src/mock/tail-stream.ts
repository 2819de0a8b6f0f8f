/**
 * One live-tail connection (api.md "Live tail"): replay from the resume point, then poll the log
 * and send matching events in batches, heartbeats in between, and end when idle, too old, revoked
 * or told to.
 *
 * A stream never buffers more than one batch for a slow reader: when `write()` says the socket is
 * full it stops reading the log until `drain` (the log itself is the buffer, and the stream's place
 * in it is just a number). A reader that does not drain in time is dropped; it can resume with
 * `Last-Event-ID`. So a slow or dead client costs the others nothing.
 */
import type { ServerResponse } from 'node:http';
import type { LogEvent } from '../model/event.js';
import type { EventLog } from './event-log.js';
import type { TailFault } from './faults.js';
import type { Matcher } from './filter.js';
import { workClock } from './sliced-scan.js';

export type TailEndReason =
  | 'idle_timeout'
  | 'max_duration'
  | 'client_gone'
  | 'slow_client'
  | 'scope_destroyed'
  | 'reset'
  | 'shutdown'
  | 'restart'
  | 'fault';

export interface TailTimings {
  heartbeatMs: number;
  pollIntervalMs: number;
  idleTimeoutMs: number;
  maxDurationMs: number;
  tailBatchSize: number;
  maxBufferedBytes: number;
  slowClientTimeoutMs: number;
  sseRetryMs: number;
}

/** Counters across all streams of a server (tests read them; `/_mock/state` shows them). */
export interface TailMetrics {
  opened: number;
  batches: number;
  largestBatch: number;
  eventsSent: number;
  ended: Partial<Record<TailEndReason, number>>;
}

export interface TailStreamConfig {
  log: EventLog;
  /** The org whose events the stream carries (the token's): no other org's event is looked at. */
  org: string;
  matches: Matcher;
  /** Matching events after this sequence number are sent. */
  afterSeq: number;
  /** Sent first when the resume point was older than the replay window. */
  gap?: { after: string; resumed_from: string } | undefined;
  timings: TailTimings;
  fault?: TailFault | undefined;
  random: () => number;
  metrics: TailMetrics;
  onEnd: (stream: TailStream, reason: TailEndReason) => void;
  /** The whole frame of one matching event; the default is api.md's `id:` + `data:` of the event. */
  formatFrame?: ((event: LogEvent, seq: number) => string) | undefined;
  /** The keep-alive comment (default `:heartbeat`); other stream shapes send their own. */
  heartbeat?: string | undefined;
}

function defaultFrame(event: LogEvent, seq: number): string {
  return `id: ${seq}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** Events looked at per scan before the stream yields, so a sparse filter cannot hog the loop. */
const SCAN_SLICE = 50_000;
/** Work per turn of the event loop before yielding to other connections. */
const TURN_BUDGET_MS = 8;

export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  // No `connection` header of our own: Node then answers `Connection: close` to a client that asked
  // for it and closes the socket after the stream, and keeps it alive otherwise.
  // Proxies (nginx) would otherwise hold events back in their buffers.
  'x-accel-buffering': 'no',
};

/**
 * `event: reset` with an empty `id:` field: by the SSE rules that clears the client's last event
 * id, so a standard EventSource reconnects without the stale `Last-Event-ID` instead of looping.
 */
export const RESET_FRAME = `event: reset\nid:\ndata: ${JSON.stringify({ reason: 'server_restart' })}\n\n`;

/** The whole answer to a resume point this log never issued: `event: reset`, then the end. */
export function sendResetStream(res: ServerResponse, retryMs: number): void {
  res.writeHead(200, SSE_HEADERS);
  res.end(`retry: ${retryMs}\n\n${RESET_FRAME}`);
}

interface Frame {
  seq: number;
  text: string;
}

export class TailStream {
  readonly #res: ServerResponse;
  readonly #config: TailStreamConfig;
  #pos: number;
  #fault: TailFault | undefined;
  #cutAt: number | 'random' | undefined;
  #bytes = 0;
  #eventsSent = 0;
  #lastMatchAt = Date.now();
  #closed = false;
  #silent = false;
  #waitingDrain = false;
  /** Size of the last batch written: it may sit unsent for a moment without the client being slow. */
  #lastBatchChars = 0;
  #pollTimer: NodeJS.Timeout | undefined;
  #heartbeatTimer: NodeJS.Timeout | undefined;
  #maxTimer: NodeJS.Timeout | undefined;
  #stallTimer: NodeJS.Timeout | undefined;
  #silenceTimer: NodeJS.Timeout | undefined;

  constructor(res: ServerResponse, config: TailStreamConfig) {
    this.#res = res;
    this.#config = config;
    this.#pos = config.afterSeq;
    this.#fault = config.fault;
    this.#cutAt = config.fault?.kind === 'cut' ? (config.fault.atByte ?? 'random') : undefined;
  }

  get eventsSent(): number {
    return this.#eventsSent;
  }

  get closed(): boolean {
    return this.#closed;
  }

  start(): void {
    const { timings, metrics, gap } = this.#config;
    metrics.opened += 1;
    this.#res.writeHead(200, SSE_HEADERS);
    this.#res.on('close', () => this.#finish('client_gone'));
    this.#write(`retry: ${timings.sseRetryMs}\n\n`);
    if (gap) this.#write(`event: gap\ndata: ${JSON.stringify(gap)}\n\n`);
    this.#heartbeatTimer = setInterval(() => this.#heartbeat(), timings.heartbeatMs);
    this.#maxTimer = setTimeout(() => this.end('max_duration'), timings.maxDurationMs);
    if (this.#fault && this.#fault.kind !== 'cut' && (this.#fault.afterEvents ?? 0) === 0) {
      this.#triggerFault(this.#fault);
    }
    this.#pump();
  }

  /** Ends the stream cleanly, after an optional last frame (`event: reset`, `event: scope-destroyed`). */
  end(reason: TailEndReason, lastFrame?: string | { event: string; data: unknown }): void {
    if (this.#closed) return;
    if (typeof lastFrame === 'string') this.#write(lastFrame);
    else if (lastFrame) this.#write(`event: ${lastFrame.event}\ndata: ${JSON.stringify(lastFrame.data)}\n\n`);
    this.#finish(reason);
    this.#res.end();
  }

  /**
   * Cuts the connection without a proper end (no final chunk), as a crash or a network failure
   * would. An injected fault first lets what was written reach the client, so "after N events"
   * means N events delivered; a stuck or restarting stream is cut at once.
   */
  drop(reason: TailEndReason): void {
    if (this.#closed) return;
    this.#finish(reason);
    const socket = this.#res.socket;
    if (reason === 'fault' && socket) socket.end();
    else this.#res.destroy();
  }

  #finish(reason: TailEndReason): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#pollTimer);
    clearInterval(this.#heartbeatTimer);
    clearTimeout(this.#maxTimer);
    clearTimeout(this.#stallTimer);
    clearTimeout(this.#silenceTimer);
    const { metrics } = this.#config;
    metrics.ended[reason] = (metrics.ended[reason] ?? 0) + 1;
    this.#config.onEnd(this, reason);
  }

  #pump = (): void => {
    this.#pollTimer = undefined;
    if (this.#closed || this.#silent || this.#waitingDrain) return;
    const { log, matches, timings } = this.#config;
    const format = this.#config.formatFrame ?? defaultFrame;
    const started = workClock.now();
    while (this.#pos < log.headSeq) {
      const frames: Frame[] = [];
      let batchChars = 0;
      let last = this.#pos;
      let scanned = 0;
      let stopped = false;
      const endSeq = log.headSeq;
      log.scan({ startSeq: this.#pos + 1, endSeq, org: this.#config.org }, (event, seq) => {
        last = seq;
        if (matches(event)) {
          const text = format(event, seq);
          frames.push({ seq, text });
          batchChars += text.length;
        }
        scanned += 1;
        // By the clock after every event: one event of a costly filter can take milliseconds.
        const late = workClock.now() - started > TURN_BUDGET_MS;
        // A batch ends at its count or its size: 200 large events would be tens of MB in one write.
        const full = frames.length >= timings.tailBatchSize || batchChars >= timings.maxBufferedBytes;
        stopped = full || scanned >= SCAN_SLICE || late;
        return !stopped;
      });
      // A scan that ran to its end has seen everything up to `endSeq`, other orgs' events included.
      if (!stopped) last = endSeq;
      if (last === this.#pos) break;
      this.#pos = last;
      if (frames.length > 0 && !this.#sendEvents(frames)) {
        if (!this.#closed && !this.#silent) this.#awaitDrain();
        return;
      }
      if (this.#closed || this.#silent) return;
      if (workClock.now() - started > TURN_BUDGET_MS) {
        this.#schedule(0);
        return;
      }
    }
    if (Date.now() - this.#lastMatchAt >= timings.idleTimeoutMs) {
      this.end('idle_timeout');
      return;
    }
    this.#schedule(timings.pollIntervalMs);
  };

  #schedule(delayMs: number): void {
    if (!this.#closed && this.#pollTimer === undefined) this.#pollTimer = setTimeout(this.#pump, delayMs);
  }

  /** Writes a batch; false when the socket wants a `drain` first (or the stream has ended). */
  #sendEvents(frames: Frame[]): boolean {
    const fault = this.#fault;
    if (fault && fault.kind !== 'cut' && this.#eventsSent + frames.length >= (fault.afterEvents ?? 0)) {
      const take = (fault.afterEvents ?? 0) - this.#eventsSent;
      if (take > 0) this.#writeBatch(frames.slice(0, take));
      // The events held back are sent again once a silence ends.
      this.#pos = take > 0 ? frames[take - 1]!.seq : frames[0]!.seq - 1;
      this.#triggerFault(fault);
      return false;
    }
    return this.#writeBatch(frames);
  }

  #writeBatch(frames: Frame[]): boolean {
    const { metrics } = this.#config;
    let text = '';
    for (const frame of frames) text += frame.text;
    if (this.#cutAt === 'random') {
      // Somewhere inside this batch: most offsets fall mid-frame, which is the point.
      const length = Buffer.byteLength(text);
      this.#cutAt = this.#bytes + 1 + Math.floor(this.#config.random() * Math.max(1, length - 1));
    }
    this.#lastBatchChars = text.length;
    const ok = this.#write(text);
    if (this.#closed) return false;
    this.#eventsSent += frames.length;
    this.#lastMatchAt = Date.now();
    metrics.batches += 1;
    metrics.eventsSent += frames.length;
    if (frames.length > metrics.largestBatch) metrics.largestBatch = frames.length;
    return ok;
  }

  #triggerFault(fault: TailFault): void {
    this.#fault = undefined;
    if (fault.kind === 'drop') this.drop('fault');
    else if (fault.kind === 'reset') this.end('reset', RESET_FRAME);
    else if (fault.kind === 'silence') {
      this.#silent = true;
      if (fault.forMs !== undefined) {
        this.#silenceTimer = setTimeout(() => {
          this.#silent = false;
          this.#lastMatchAt = Date.now();
          this.#pump();
        }, fault.forMs);
      }
    }
  }

  #write(text: string): boolean {
    if (this.#closed) return false;
    if (this.#cutAt !== undefined) {
      const length = Buffer.byteLength(text);
      if (typeof this.#cutAt === 'number' && this.#bytes + length > this.#cutAt) {
        const part = Buffer.from(text).subarray(0, this.#cutAt - this.#bytes);
        this.#finish('fault');
        // Let the partial frame reach the client, then break the connection under it.
        this.#res.write(part, () => this.#res.destroy());
        return false;
      }
      this.#bytes += length;
    }
    return this.#res.write(text);
  }

  #heartbeat(): void {
    if (this.#closed || this.#silent) return;
    this.#write(this.#config.heartbeat ?? ':heartbeat\n\n');
    // A write to a dead socket fails and 'close' releases the slot; a live but stuck one fills up.
    // One batch of large events may exceed the bound by itself on a healthy socket, so the bound
    // counts what is unsent beyond the last batch (UTF-16 length: a bound, not an exact size).
    const unsent = this.#res.writableLength - this.#lastBatchChars;
    if (unsent > this.#config.timings.maxBufferedBytes) this.drop('slow_client');
  }

  #awaitDrain(): void {
    this.#waitingDrain = true;
    this.#res.once('drain', () => {
      this.#waitingDrain = false;
      clearTimeout(this.#stallTimer);
      this.#pump();
    });
    this.#stallTimer = setTimeout(() => this.drop('slow_client'), this.#config.timings.slowClientTimeoutMs);
  }
}
