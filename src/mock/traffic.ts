/**
 * Synthetic traffic: a seeded stream of believable events (`--rate`), and the past hours of them
 * (`--history`). Generating must stay far cheaper than serving: B8 runs the log at 50k events/s.
 */
import type { LogEvent } from '../model/event.js';
import { buildEvent } from './event-input.js';
import { DEFAULT_ORG_ID } from './options.js';
import { Prng, WeightedPicker } from './prng.js';
import type { EventStamper } from './stamp.js';
import { SOURCES, type SyntheticEvent } from './traffic-sources.js';

/** How often the live pump appends what is due; events in a tick get evenly spread `ts`. */
const TICK_MS = 25;
/** Once a second of event time, a burst may start. */
const BURST_CHANCE_PER_S = 0.02;
const BURST_RATE_FACTOR = 1.5;
/** Share of the traffic the troubled source takes during a burst. */
const BURST_SOURCE_SHARE = 0.4;

type Template = (typeof SOURCES)[number];

export type AppendEvent = (event: LogEvent, tsMs: number) => void;

export class TrafficGenerator {
  readonly #rng: Prng;
  readonly #stamper: EventStamper;
  readonly #sources: WeightedPicker<Template>;
  #burst: Template | undefined;
  #burstUntilMs = 0;
  #nextBurstCheckMs = 0;

  constructor(seed: number, stamper: EventStamper) {
    this.#rng = new Prng(seed);
    this.#stamper = stamper;
    this.#sources = new WeightedPicker(SOURCES.map((source) => [source, source[2]] as const));
  }

  /** Whether a burst is on at event time `ms` (bursts raise the rate and one source misbehaves). */
  bursting(ms: number): boolean {
    if (ms >= this.#nextBurstCheckMs) {
      this.#nextBurstCheckMs = ms + 1_000;
      if (this.#burst && ms >= this.#burstUntilMs) this.#burst = undefined;
      if (!this.#burst && this.#rng.chance(BURST_CHANCE_PER_S)) {
        this.#burst = this.#rng.pick(SOURCES);
        this.#burstUntilMs = ms + this.#rng.int(2_000, 8_000);
      }
    }
    return this.#burst !== undefined;
  }

  /** One event that happened at `tsMs` and reached the service at `ingestedMs`. */
  next(tsMs: number, ingestedMs: number): LogEvent {
    const burst = this.bursting(tsMs) ? this.#burst : undefined;
    const [source, template] =
      burst && this.#rng.chance(BURST_SOURCE_SHARE) ? burst : this.#sources.pick(this.#rng);
    const synthetic = template(this.#rng, burst !== undefined && burst[0] === source);
    flattenStrings(synthetic);
    return buildEvent({
      event_id: this.#stamper.id(ingestedMs),
      ts: this.#stamper.iso(tsMs),
      ingested_at: this.#stamper.iso(ingestedMs),
      dataset: synthetic.dataset,
      severity: synthetic.severity,
      event: synthetic.event,
      actor: synthetic.actor,
      source,
      message: synthetic.message,
      payload: synthetic.payload,
      // What the entry would weigh as sent: the message, its labels and a compact payload.
      bytes_raw: 96 + synthetic.message.length + JSON.stringify(synthetic.payload).length,
      // Synthetic traffic is the development org's, as if its own services sent it.
      org: DEFAULT_ORG_ID,
    });
  }
}

/**
 * Template literals build V8 cons-string trees (a 30-character message can hold ~220 bytes of
 * nodes); reading a character flattens one in place and the garbage collector then drops the tree.
 * Stored for as long as the log keeps them, events are worth making compact.
 */
function flattenStrings(synthetic: SyntheticEvent): void {
  synthetic.message.charCodeAt(0);
  synthetic.actor?.charCodeAt(0);
  for (const value of Object.values(synthetic.payload)) if (typeof value === 'string') value.charCodeAt(0);
}

/** Appends `count` events spread evenly over the `spanMs` before `nowMs`, oldest first. */
export function prefillHistory(
  generator: TrafficGenerator,
  append: AppendEvent,
  count: number,
  spanMs: number,
  nowMs: number,
): void {
  const step = count > 0 ? spanMs / count : 0;
  for (let i = 0; i < count; i++) {
    const tsMs = Math.floor(nowMs - spanMs + i * step);
    // A believable pipeline delay between the event and its ingestion.
    append(generator.next(tsMs, tsMs + 50 + (i % 400)), tsMs);
  }
}

/** Appends synthetic events at a rate, from a timer, until stopped. */
export class TrafficPump {
  readonly #generator: TrafficGenerator;
  readonly #append: AppendEvent;
  readonly #now: () => number;
  #ratePerSec = 0;
  #timer: NodeJS.Timeout | undefined;
  #lastTickMs = 0;
  #carry = 0;

  constructor(generator: TrafficGenerator, append: AppendEvent, now: () => number = Date.now) {
    this.#generator = generator;
    this.#append = append;
    this.#now = now;
  }

  get ratePerSec(): number {
    return this.#ratePerSec;
  }

  /** Changes the rate; 0 stops the timer. */
  setRate(perSec: number): void {
    this.#ratePerSec = Math.max(0, perSec);
    if (this.#ratePerSec > 0 && !this.#timer) {
      this.#lastTickMs = this.#now();
      this.#carry = 0;
      this.#timer = setInterval(() => this.#tick(), TICK_MS);
    } else if (this.#ratePerSec === 0) {
      this.stop();
    }
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #tick(): void {
    const now = this.#now();
    const elapsed = now - this.#lastTickMs;
    if (elapsed <= 0) return;
    const factor = this.#generator.bursting(now) ? BURST_RATE_FACTOR : 1;
    const due = (this.#ratePerSec * factor * elapsed) / 1000 + this.#carry;
    const count = Math.floor(due);
    this.#carry = due - count;
    const start = this.#lastTickMs;
    this.#lastTickMs = now;
    for (let i = 1; i <= count; i++) {
      const tsMs = Math.floor(start + (elapsed * i) / count);
      this.#append(this.#generator.next(tsMs, now), tsMs);
    }
  }
}
