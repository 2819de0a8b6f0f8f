/**
 * Both framers reduced to what the tail acts on, so that a test can compare them frame by frame:
 * the JavaScript reference (SseParser and the JSON byte scanner, read as the engine reads them)
 * and the WebAssembly framer. Each frame says its event name, the id in force, and what its data
 * is: an object (with the exact line NDJSON writes and its `event_id`), not JSON, or anything
 * else (left to JSON.parse), with the data's text for the last two.
 */

import { SseParser } from '../../src/tail/sse-parser.js';
import { JSON_OBJECT, JsonByteScanner, NOT_JSON } from '../../src/util/json-bytes.js';
import { sseWasmModule } from '../../src/wasm/module.js';
import {
  F_EVENT_ID_NEEDS_PARSE,
  F_MULTI_LINE,
  F_NAME_CHANGED,
  F_NOT_UTF8,
  M_DATA_END,
  M_DATA_START,
  M_EVENT_ID_END,
  M_EVENT_ID_START,
  M_FLAGS,
  M_ID_END,
  M_ID_START,
  M_NAME_END,
  M_NAME_START,
  META_INTS,
  V_NOT_JSON,
  V_NOT_OBJECT,
  V_OBJECT,
  V_TOO_DEEP,
  VERDICT_MASK,
  WasmSseFramer,
} from '../../src/wasm/sse-framer.js';

export interface Framed {
  event: string;
  id: string;
  data: string | undefined;
  verdict: 'object' | 'not-json' | 'other';
  /** For an object: the line NDJSON writes, as hex. */
  line?: string | undefined;
  eventId?: string | undefined;
}

/** What a run of chunks gave: frames, and after each chunk `retry` and the frames skipped as over the limit. */
export interface FramingResult {
  frames: Framed[];
  retry: (number | undefined)[];
  tooLarge: number[];
}

export interface FramingOptions {
  maxFrameBytes?: number;
  initialId?: string;
}

const DEFAULT_LIMIT = 8 * 1024 * 1024;

/** What a frame's text means when it is read as the engine reads text: JSON.parse, line breaks as spaces. */
function fromText(text: string): Pick<Framed, 'verdict' | 'line' | 'eventId' | 'data'> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { verdict: 'not-json', data: text };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return { verdict: 'other', data: text };
  return {
    verdict: 'object',
    line: Buffer.from(text.replace(/[\r\n]/g, ' ')).toString('hex'),
    eventId: stringOrUndefined((value as Record<string, unknown>).event_id),
    data: undefined,
  };
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The event_id of an object's bytes, as the scanner found it (parsed when it had to be). */
function idOf(bytes: Buffer, start: number, end: number, idStart: number, idEnd: number, parse: boolean) {
  if (parse) return stringOrUndefined(JSON.parse(bytes.toString('utf8', start, end)).event_id);
  return idStart < 0 ? undefined : bytes.toString('utf8', idStart, idEnd);
}

/** The JavaScript reference: SseParser, then the scanner for a frame of one valid UTF-8 line, else JSON.parse. */
export function frameWithJs(chunks: readonly Uint8Array[], options: FramingOptions = {}): FramingResult {
  const parser = new SseParser({
    maxFrameBytes: options.maxFrameBytes ?? DEFAULT_LIMIT,
    initialId: options.initialId ?? '',
  });
  const scanner = new JsonByteScanner();
  const result: FramingResult = { frames: [], retry: [], tooLarge: [] };
  return feedAll(chunks, result, (chunk) => {
    const before = parser.tooLarge;
    const frames = parser.feed(chunk);
    result.retry.push(parser.retryMs);
    result.tooLarge.push(parser.tooLarge - before);
    for (const frame of frames) {
      const base = { event: frame.event, id: frame.id };
      if (!frame.plain) {
        result.frames.push({ ...base, ...fromText(frame.data) });
        continue;
      }
      const bytes = Buffer.from(frame.bytes.buffer, frame.bytes.byteOffset, frame.bytes.byteLength);
      const kind = scanner.scan(bytes, frame.start, frame.end);
      if (kind === JSON_OBJECT) {
        result.frames.push({
          ...base,
          verdict: 'object',
          line: bytes.subarray(frame.start, frame.end).toString('hex'),
          eventId: idOf(bytes, frame.start, frame.end, scanner.idStart, scanner.idEnd, scanner.idNeedsParse),
          data: undefined,
        });
      } else if (kind === NOT_JSON) {
        result.frames.push({ ...base, verdict: 'not-json', data: frame.data });
      } else {
        // Not an object: the engine leaves it to JSON.parse.
        result.frames.push({ ...base, ...fromText(frame.data) });
      }
    }
  });
}

/** Feeds the chunks in order. */
function feedAll(chunks: readonly Uint8Array[], result: FramingResult, feed: (chunk: Uint8Array) => void) {
  for (const chunk of chunks) feed(chunk);
  return result;
}

/** The WebAssembly framer, its records read as the tail's decoder reads them. */
export function frameWithWasm(chunks: readonly Uint8Array[], options: FramingOptions = {}): FramingResult {
  const module = sseWasmModule();
  if (module === undefined) throw new Error('no WebAssembly framer: run the build first');
  const framer = new WasmSseFramer(module, {
    maxFrameBytes: options.maxFrameBytes ?? DEFAULT_LIMIT,
    initialId: options.initialId ?? '',
  });
  const scanner = new JsonByteScanner();
  const result: FramingResult = { frames: [], retry: [], tooLarge: [] };
  let name = 'message';
  return feedAll(chunks, result, (chunk) => {
    const framed = framer.feed(chunk);
    result.retry.push(framer.retryMs);
    result.tooLarge.push(framed.tooLarge);
    const { records, out, text } = framed;
    for (let i = 0; i < framed.frames; i++) {
      const at = i * META_INTS;
      const flags = records[at + M_FLAGS]!;
      if (flags & F_NAME_CHANGED) {
        const start = records[at + M_NAME_START]!;
        const end = records[at + M_NAME_END]!;
        name = start === end ? 'message' : text.toString('utf8', start, end);
      }
      const base = {
        event: name,
        id: text.toString('utf8', records[at + M_ID_START]!, records[at + M_ID_END]!),
      };
      const start = records[at + M_DATA_START]!;
      const end = records[at + M_DATA_END]!;
      const data = out.toString('utf8', start, end);
      const verdict = flags & VERDICT_MASK;
      if (flags & F_NOT_UTF8) {
        result.frames.push({ ...base, ...fromText(data) });
      } else if (verdict === V_OBJECT) {
        result.frames.push({
          ...base,
          verdict: 'object',
          line: out.subarray(start, end).toString('hex'),
          eventId: idOf(
            out,
            start,
            end,
            records[at + M_EVENT_ID_START]!,
            records[at + M_EVENT_ID_END]!,
            (flags & F_EVENT_ID_NEEDS_PARSE) !== 0,
          ),
          data: undefined,
        });
      } else if (verdict === V_NOT_JSON) {
        result.frames.push({ ...base, verdict: 'not-json', data });
      } else if (verdict === V_NOT_OBJECT) {
        result.frames.push({ ...base, ...fromText(data) });
      } else if (verdict === V_TOO_DEEP) {
        if (flags & F_MULTI_LINE) {
          result.frames.push({ ...base, ...fromText(data) });
        } else {
          const kind = scanner.scan(out, start, end);
          result.frames.push(
            kind === JSON_OBJECT
              ? {
                  ...base,
                  verdict: 'object',
                  line: out.subarray(start, end).toString('hex'),
                  eventId: idOf(out, start, end, scanner.idStart, scanner.idEnd, scanner.idNeedsParse),
                  data: undefined,
                }
              : kind === NOT_JSON
                ? { ...base, verdict: 'not-json', data }
                : { ...base, ...fromText(data) },
          );
        }
      } else {
        throw new Error(`unknown verdict ${verdict}`);
      }
    }
  });
}
