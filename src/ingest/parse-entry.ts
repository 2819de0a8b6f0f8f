/**
 * Turning input into ingest entries: NDJSON objects (fields per api.md, with aliases) or plain
 * text lines (level from a flag or a level word at the start). Pure; every rejection says why.
 */
import type { IngestEntry } from '../api/types.js';
import { normalizeSeverity, type Severity } from '../model/event.js';

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

export function parseIngestLine(line: string, options: LineOptions): ParsedLine {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  if (text.trim() === '') return { kind: 'blank' };
  if (Buffer.byteLength(text) > MAX_ENTRY_BYTES)
    return { kind: 'invalid', reason: 'longer than the 1 MiB entry limit' };
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
  return typeof key === 'string' && key !== ''
    ? { kind: 'entry', entry, idempotencyKey: key }
    : { kind: 'entry', entry };
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

/** A text line: a leading level word is taken as the level (and removed), otherwise the default. */
export function entryFromText(text: string, options: LineOptions): ParsedLine {
  const match = LEVEL_PREFIX.exec(text);
  const detected = match?.[1] ? normalizeSeverity(match[1]) : undefined;
  const message = detected && match?.[2] ? match[2] : text;
  const entry: IngestEntry = { level: detected ?? options.defaultLevel, message: message.trim() };
  if (options.defaultMeta && Object.keys(options.defaultMeta).length > 0)
    entry.meta = { ...options.defaultMeta };
  for (const field of TEXT_FIELDS) {
    const value = options.defaults?.[field];
    if (value !== undefined) entry[field] = value;
  }
  return { kind: 'entry', entry };
}
