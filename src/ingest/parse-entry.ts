/**
 * Turning input into ingest entries: NDJSON objects (fields per api.md, with aliases) or plain
 * text lines (an optional leading timestamp, then a level word, else the default level). Pure;
 * every rejection says why.
 */
import { isUtf8 } from 'node:buffer';
import type { IngestEntry } from '../api/types.js';
import { normalizeSeverity, type Severity } from '../model/event.js';
import { findTooDeep, MAX_PAYLOAD_DEPTH } from '../model/limits.js';
import { invalidKeyReason } from './idempotency.js';

export const INGEST_FORMATS = ['auto', 'ndjson', 'text'] as const;
export type IngestFormat = (typeof INGEST_FORMATS)[number];

/**
 * A dead-lettered entry keeps its idempotency key under this name, so re-ingesting the file can
 * never store an entry twice even if the first attempt did reach the service.
 */
export const IDEMPOTENCY_FIELD = '_idempotency_key';

/** The service's body limit (api.md 413); a longer line could never be accepted. */
export const MAX_ENTRY_BYTES = 1024 * 1024;

export type ParsedLine =
  | { kind: 'entry'; entry: IngestEntry; idempotencyKey?: string }
  | { kind: 'blank' }
  | { kind: 'invalid'; reason: string };

export interface LineOptions {
  format: IngestFormat;
  /** Level for text lines without a level word, and for objects without one. */
  defaultLevel: Severity;
  /** Fields applied to every entry unless the line sets them (from --source, --dataset, …). */
  defaults?: Partial<Pick<IngestEntry, 'source' | 'dataset' | 'event' | 'actor'>>;
  /** Metadata added to every entry (from --meta); a line's own keys win. */
  defaultMeta?: Record<string, unknown>;
}

const KNOWN_FIELDS = new Set([
  'level',
  'severity',
  'message',
  'msg',
  'meta',
  'payload',
  'ts',
  'event',
  'source',
  'service',
  'actor',
  'dataset',
  IDEMPOTENCY_FIELD,
]);
const TEXT_FIELDS = ['event', 'source', 'actor', 'dataset'] as const;

/**
 * One input line, as text or as the raw bytes read (which must be UTF-8: invalid bytes are an
 * invalid line, never silently replaced).
 */
export function parseIngestLine(line: string | Uint8Array, options: LineOptions): ParsedLine {
  let decoded: string;
  if (typeof line === 'string') {
    decoded = line;
  } else {
    if (line.length > MAX_ENTRY_BYTES) return tooLong();
    if (!isUtf8(line)) {
      return { kind: 'invalid', reason: `not valid UTF-8 (byte ${invalidUtf8At(line) + 1} of the line)` };
    }
    decoded = Buffer.from(line.buffer, line.byteOffset, line.length).toString('utf8');
  }
  const text = decoded.endsWith('\r') ? decoded.slice(0, -1) : decoded;
  if (text.trim() === '') return { kind: 'blank' };
  if (Buffer.byteLength(text) > MAX_ENTRY_BYTES) return tooLong();
  const looksLikeJson = text.trimStart().startsWith('{');
  if (options.format === 'ndjson' || (options.format === 'auto' && looksLikeJson)) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return { kind: 'invalid', reason: `not valid JSON (${(error as Error).message})` };
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return { kind: 'invalid', reason: 'not a JSON object' };
    }
    return entryFromObject(value as Record<string, unknown>, options);
  }
  return entryFromText(text, options);
}

/** An NDJSON object: aliases folded, unknown fields kept in `meta` so nothing the user sent is dropped. */
export function entryFromObject(object: Record<string, unknown>, options: LineOptions): ParsedLine {
  const message = object.message ?? object.msg;
  if (typeof message !== 'string' || message === '') return { kind: 'invalid', reason: 'missing "message"' };
  const levelValue = object.level ?? object.severity;
  let level: Severity = options.defaultLevel;
  if (levelValue !== undefined) {
    const normalized = typeof levelValue === 'string' ? normalizeSeverity(levelValue) : undefined;
    if (!normalized) return { kind: 'invalid', reason: `unknown level ${JSON.stringify(levelValue)}` };
    level = normalized;
  }
  const metaValue = object.meta ?? object.payload;
  if (
    metaValue !== undefined &&
    (metaValue === null || typeof metaValue !== 'object' || Array.isArray(metaValue))
  ) {
    return { kind: 'invalid', reason: '"meta" must be an object' };
  }
  const meta: Record<string, unknown> = {
    ...options.defaultMeta,
    ...(metaValue as Record<string, unknown> | undefined),
  };
  for (const [key, value] of Object.entries(object)) if (!KNOWN_FIELDS.has(key)) meta[key] = value;
  // Checked here, before anything serialises it again: the service refuses it, and a recursive
  // JSON.stringify of it (the request, a dead letter) would overflow the stack.
  const tooDeep = findTooDeep(meta);
  if (tooDeep !== undefined) {
    return {
      kind: 'invalid',
      reason: `"meta" is nested deeper than ${MAX_PAYLOAD_DEPTH} levels (at ${shortPath(`meta.${tooDeep}`)})`,
    };
  }

  const entry: IngestEntry = { level, message };
  if (Object.keys(meta).length > 0) entry.meta = meta;
  if (object.ts !== undefined) {
    if (typeof object.ts !== 'string' || Number.isNaN(Date.parse(object.ts))) {
      return { kind: 'invalid', reason: '"ts" must be an RFC 3339 time' };
    }
    entry.ts = object.ts;
  }
  const source = object.source ?? object.service;
  const fields = { ...options.defaults, ...pickStrings({ ...object, source }) };
  for (const field of TEXT_FIELDS) {
    const value = fields[field];
    if (value !== undefined) entry[field] = value;
  }
  const key = object[IDEMPOTENCY_FIELD];
  if (key === undefined || key === null) return { kind: 'entry', entry };
  // A carried key is sent as is (a dead letter's must stay the key it was first sent with), so one
  // that cannot travel in a header makes the line invalid rather than quietly replaced.
  const why = typeof key === 'string' ? invalidKeyReason(key) : 'must be a string';
  if (why !== undefined) return { kind: 'invalid', reason: `"${IDEMPOTENCY_FIELD}" ${why}` };
  return { kind: 'entry', entry, idempotencyKey: key as string };
}

function pickStrings(object: Record<string, unknown>): Partial<Record<(typeof TEXT_FIELDS)[number], string>> {
  const picked: Partial<Record<(typeof TEXT_FIELDS)[number], string>> = {};
  for (const field of TEXT_FIELDS) {
    const value = object[field];
    if (typeof value === 'string' && value !== '') picked[field] = value;
  }
  return picked;
}

// `ERROR msg`, `[warn] msg`, `error: msg`, `<info> msg`, `level=error msg`.
const LEVEL_PREFIX = /^\s*(?:level=)?[[<(]?([A-Za-z]{3,8})[\]>)]?:?\s+(.*)$/s;
// An RFC 3339 time and a space, as `kubectl logs --timestamps` and most log files start a line.
const TIME_PREFIX =
  /^\s*[[(]?((\d{4})-(\d{2})-(\d{2})[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2}))[\])]?\s+(.*)$/s;

/**
 * A text line: a leading timestamp becomes the event time, then a leading level word is taken as
 * the level (both removed from the message); without them, now and the default level.
 */
export function entryFromText(line: string, options: LineOptions): ParsedLine {
  const time = leadingTime(line);
  const text = time ? time.rest : line;
  const match = LEVEL_PREFIX.exec(text);
  const detected = match?.[1] ? normalizeSeverity(match[1]) : undefined;
  const message = (detected && match?.[2] ? match[2] : text).trim();
  if (message === '') return { kind: 'invalid', reason: 'no message after the timestamp and level' };
  const entry: IngestEntry = { level: detected ?? options.defaultLevel, message };
  if (time) entry.ts = time.ts;
  if (options.defaultMeta && Object.keys(options.defaultMeta).length > 0)
    entry.meta = { ...options.defaultMeta };
  for (const field of TEXT_FIELDS) {
    const value = options.defaults?.[field];
    if (value !== undefined) entry[field] = value;
  }
  return { kind: 'entry', entry };
}

/** A leading timestamp that names a real instant (no 30 February), and the text after it. */
function leadingTime(text: string): { ts: string; rest: string } | undefined {
  const match = TIME_PREFIX.exec(text);
  if (!match) return undefined;
  const [, ts, year, month, day, rest] = match as unknown as [string, string, string, string, string, string];
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  const real = date.getUTCMonth() === Number(month) - 1 && date.getUTCDate() === Number(day);
  return real && !Number.isNaN(Date.parse(ts)) ? { ts, rest } : undefined;
}

function tooLong(): ParsedLine {
  return { kind: 'invalid', reason: 'longer than the 1 MiB entry limit' };
}

/** A path as shown in a message: its start and end when it is long (keys can be anything). */
function shortPath(path: string): string {
  return path.length <= 80 ? path : `${path.slice(0, 40)}…${path.slice(-39)}`;
}

/**
 * The offset of the first byte that breaks UTF-8 (stray continuation bytes, overlong forms,
 * surrogates, truncated sequences), for the message; only called once `isUtf8` said no.
 */
export function invalidUtf8At(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i += 1;
      continue;
    }
    const extra =
      lead >= 0xc2 && lead <= 0xdf
        ? 1
        : lead >= 0xe0 && lead <= 0xef
          ? 2
          : lead >= 0xf0 && lead <= 0xf4
            ? 3
            : 0;
    if (extra === 0 || i + extra >= bytes.length) return i;
    for (let k = 1; k <= extra; k += 1) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    const second = bytes[i + 1]!;
    if (
      (lead === 0xe0 && second < 0xa0) ||
      (lead === 0xed && second > 0x9f) ||
      (lead === 0xf0 && second < 0x90) ||
      (lead === 0xf4 && second > 0x8f)
    ) {
      return i;
    }
    i += extra + 1;
  }
  return 0;
}
