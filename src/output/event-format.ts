/**
 * What an output mode is made of (output/event-output.ts chooses one): the event it reads, the
 * formatter it makes for a run, and the options every formatter is given.
 */
import type { EventRecord } from '../model/event-record.js';
import type { JsonBytes } from '../tail/items.js';
import type { Palette } from './palette.js';
import type { TimeStyle, TimeZoneMode } from './time-format.js';

/** One event as output reads it: a tail's events are these, a query's records are wrapped. */
export interface OutputEvent {
  /** The record (parsed when read, for a streamed event). */
  readonly event: EventRecord;
  /** The JSON as the stream sent it, when it can be written as it is (NDJSON's pass-through). */
  readonly raw?: JsonBytes | undefined;
  /** The label of the stream it came from, when a tail reads several. */
  readonly stream?: string | undefined;
}

/**
 * How one mode turns events into output. One is made per run, so it may keep state between
 * batches (json's separators, a table's column widths).
 */
export interface EventFormatter {
  /** A batch of events as the text (or bytes) to write; `''` when it holds them back. */
  format(events: readonly OutputEvent[]): string | Uint8Array;
  /** What it held back, for a reader waiting on an endless stream (a table's sampled rows). */
  flush?(): string;
  /** What ends the output (json's `]`), and whatever is still held back. */
  end?(): string;
}

/** What every formatter is given; each reads what its mode needs. */
export interface FormatOptions {
  palette: Palette;
  /** `--fields`: only these (canonical names or payload paths), in this order. */
  fields?: readonly string[] | undefined;
  /** Times in pretty lines and tables: local (on a terminal) or UTC. */
  timeZone: TimeZoneMode;
  /** `full` shows the date, `time` only the time of day. */
  timeStyle: TimeStyle;
  /** Output to a terminal: text from peers is escaped (raw), tables fit `maxWidth`. */
  terminal: boolean;
  /** The terminal's width (undefined for a pipe: never cut). */
  maxWidth?: number | undefined;
  /** Tables with their header line (`--no-headers` turns it off). */
  headers?: boolean | undefined;
  /** The stream names of a merged tail: pretty lines' label column is as wide as the longest. */
  streams?: readonly string[] | undefined;
  /** The text of a mode that takes one (`-o template=TEXT`). */
  argument?: string | undefined;
}

/** A formatter module: one per mode. */
export interface FormatModule {
  /** Throws a UsageError when the options do not suit the mode (a template with a mistake). */
  createFormatter(options: FormatOptions): EventFormatter | Promise<EventFormatter>;
}
