/**
 * `-o ndjson`: one JSON object per line. A tail's events pass through as the bytes that arrived
 * when no fields are picked (each was checked on arrival: every line is valid JSON), so a firehose
 * is never turned into strings (docs/performance.md, B1); anything else is serialised, bounded.
 */
import { pickFields } from '../model/event-record.js';
import { type JsonBytes, jsonText } from '../tail/items.js';
import { asBuffer } from '../util/bytes.js';
import { boundedJson } from './bounded-json.js';
import type { EventFormatter, FormatOptions, OutputEvent } from './event-format.js';

export function createFormatter(options: FormatOptions): EventFormatter {
  const { fields } = options;
  return { format: (events) => formatNdjsonBatch(events, fields) };
}

/** A batch as NDJSON: the events' own bytes when every one of them has them, else text. */
export function formatNdjsonBatch(
  events: readonly OutputEvent[],
  fields?: readonly string[] | undefined,
): string | Uint8Array {
  if (fields === undefined) {
    const bytes = rawLines(events);
    if (bytes !== undefined) return bytes;
  }
  let text = '';
  for (const item of events) text += `${jsonLine(item, fields)}\n`;
  return text;
}

function jsonLine(item: OutputEvent, fields: readonly string[] | undefined): string {
  if (fields) return boundedJson(pickFields(item.event, fields)) ?? '{}';
  return item.raw ? jsonText(item.raw) : (boundedJson(item.event) ?? '{}');
}

/**
 * The events' own JSON, one per line, when every one of them has it; undefined otherwise. Events
 * the WebAssembly decoder read in a row already sit in one buffer as NDJSON lines in a row: those
 * are written as the slice they are, without a copy.
 */
function rawLines(events: readonly OutputEvent[]): Uint8Array | undefined {
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
    const { bytes, start, end } = raw!;
    asBuffer(bytes).copy(out, at, start, end);
    at += end - start;
    out[at++] = LF;
  }
  return out;
}

const LF = 0x0a;
