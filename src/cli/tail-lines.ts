/**
 * The tail's line outputs, pure (here rather than in output/, which sits below the tail engine):
 * a batch of events to what stdout gets (NDJSON as bytes or text, pretty lines as text), a
 * connection state to one dim line for stderr (or nothing), and the closing summary line.
 */

import { pickFields } from '../model/event-record.js';
import { boundedJson } from '../output/bounded-json.js';
import type { Palette } from '../output/palette.js';
import { formatPrettyEvent } from '../output/pretty.js';
import {
  type JsonBytes,
  jsonText,
  type TailCounters,
  type TailEvent,
  type TailStateItem,
} from '../tail/items.js';
import { asBuffer } from '../util/bytes.js';
import { formatDurationMs } from '../util/duration.js';

export type TailLineFormat = 'ndjson' | 'pretty';

export interface TailLineOptions {
  format: TailLineFormat;
  palette: Palette;
  fields?: readonly string[] | undefined;
  /** Pretty times in UTC instead of the local zone. */
  utc?: boolean | undefined;
}

/**
 * One batch as output, one line per event. NDJSON passes the stream's own JSON through as the
 * bytes that arrived when no fields are picked (each was checked on arrival: every line is valid
 * JSON), so a firehose is never turned into strings; anything else is text.
 */
export function formatTailBatch(events: readonly TailEvent[], options: TailLineOptions): string | Uint8Array {
  if (options.format === 'ndjson') {
    const fields = options.fields;
    if (fields === undefined) {
      const bytes = rawLines(events);
      if (bytes !== undefined) return bytes;
    }
    let text = '';
    for (const item of events) {
      if (fields) text += `${boundedJson(pickFields(item.event, fields))}\n`;
      else text += `${item.raw ? jsonText(item.raw) : boundedJson(item.event)}\n`;
    }
    return text;
  }
  let text = '';
  const pretty = {
    palette: options.palette,
    timeStyle: 'time' as const,
    timeZone: options.utc === true ? ('utc' as const) : ('local' as const),
    fields: options.fields,
  };
  for (const item of events) text += `${formatPrettyEvent(item.event, pretty)}\n`;
  return text;
}

/**
 * The events' own JSON, one per line, when every one of them has it; undefined otherwise. Events
 * the WebAssembly decoder read in a row already sit in one buffer as NDJSON lines in a row: those
 * are written as the slice they are, without a copy.
 */
function rawLines(events: readonly TailEvent[]): Uint8Array | undefined {
  let length = 0;
  let contiguous = true;
  let previous: JsonBytes | undefined;
  for (const item of events) {
    const raw = item.raw;
    if (raw === undefined) return undefined;
    length += raw.end - raw.start + 1;
    if (
      previous !== undefined &&
      (raw.bytes !== previous.bytes || raw.start !== previous.end + 1 || raw.bytes[previous.end] !== LF)
    )
      contiguous = false;
    previous = raw;
  }
  const first = events[0]?.raw;
  if (contiguous && first !== undefined && previous !== undefined && previous.bytes[previous.end] === LF) {
    return first.bytes.subarray(first.start, previous.end + 1);
  }
  const out = Buffer.allocUnsafe(length);
  let at = 0;
  for (const { raw } of events) {
    const { bytes, start, end } = raw as JsonBytes;
    asBuffer(bytes).copy(out, at, start, end);
    at += end - start;
    out[at++] = LF;
  }
  return out;
}

const LF = 0x0a;

/**
 * A connection state as a line for stderr, or undefined when it is not worth one at this
 * verbosity. Normal resumes (idle close, the 30-minute cap) and the first connection show only
 * with --verbose; trouble (a stale connection, a reconnect after an error, a gap) always shows.
 */
export function formatTailState(
  item: TailStateItem,
  options: { palette: Palette; verbose: boolean },
): string | undefined {
  const { palette, verbose } = options;
  const dim = (text: string): string => palette.dim(`sotail: ${text}`);
  switch (item.kind) {
    case 'connecting':
      return verbose
        ? dim(`connecting to ${item.url}${item.resumeFrom ? ` (resuming after ${item.resumeFrom})` : ''}`)
        : undefined;
    case 'live':
      return verbose ? dim(`live: ${item.url}`) : undefined;
    case 'stale':
      return dim(`no data (not even a heartbeat) for ${formatDurationMs(item.silentMs)}: reconnecting`);
    case 'reconnecting': {
      if (item.silent && !verbose) return undefined;
      const wait = item.delayMs > 0 ? ` in ${formatDurationMs(item.delayMs)}` : '';
      const limit = item.limit ? ` (${item.limit})` : '';
      return dim(`${item.reason}${limit}; reconnecting${wait} (attempt ${item.attempt})`);
    }
    case 'gap':
      return item.reason === 'reset'
        ? dim('the server was reset: starting afresh and fetching what came since the last event')
        : dim(`the server could not replay from cursor ${item.after ?? '?'}: fetching the hole from history`);
    case 'backfilling':
      return verbose ? dim(`fetching history${item.from ? ` from ${item.from}` : ''}`) : undefined;
    case 'backfilled':
      return verbose ? dim(`history: ${item.events} event${item.events === 1 ? '' : 's'}`) : undefined;
    case 'missing': {
      const range = item.from || item.to ? ` (${item.from ?? '…'} to ${item.to ?? 'now'})` : '';
      return palette.warn(`sotail: warning: events may be missing${range}: ${item.detail}`);
    }
    case 'notice':
      return item.level === 'warn' ? palette.warn(`sotail: warning: ${item.message}`) : dim(item.message);
    case 'ended':
      if (item.reason === 'scope-destroyed')
        return `sotail: the server ended the tail: ${item.detail ?? 'scope destroyed'}`;
      if (item.reason === 'server-stop') return dim(item.detail ?? 'the server ended the tail');
      return undefined;
    default:
      return undefined;
  }
}

/** `sotail: 1,234 events, 2 reconnects, 1 gap backfilled in 5m 12s` */
export function formatTailSummary(counters: Readonly<TailCounters>, nowMs: number): string {
  const plural = (n: number, word: string): string =>
    `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
  const parts = [plural(counters.events, 'event'), plural(counters.reconnects, 'reconnect')];
  parts.push(`${plural(counters.gapsBackfilled, 'gap')} backfilled`);
  if (counters.skipped > 0) parts.push(`${plural(counters.skipped, 'frame')} skipped (not JSON)`);
  return `sotail: ${parts.join(', ')} in ${formatDurationMs(nowMs - counters.startedAt)}`;
}
