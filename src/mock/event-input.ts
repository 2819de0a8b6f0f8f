/**
 * Turning an ingest body (api.md "Ingest", seed 002) into a stored event: aliases (`level`,
 * `meta`, `msg`, `service`), severity aliases, validation that names the offending `field`.
 * Every event is built by `buildEvent`, so all share one object shape (one V8 hidden class).
 * Size and nesting limits (docs/api.md "Limits") are checked here, before anything is stored.
 */
import { type LogEvent, normalizeSeverity, type Severity } from '../model/event.js';
import { findTooDeep, MAX_MESSAGE_CHARS, MAX_PAYLOAD_BYTES, MAX_PAYLOAD_DEPTH } from '../model/limits.js';
import { badRequest } from './envelope.js';
import { EVENT_ORG } from './event-org.js';

export interface EventFields {
  event_id: string;
  ts: string;
  ingested_at: string;
  dataset: string | undefined;
  severity: Severity;
  event: string | undefined;
  actor: string | undefined;
  source: string | undefined;
  message: string;
  payload: Record<string, unknown>;
  bytes_raw: number;
  /** The org that owns the event: only its tokens read it (event-org.ts). */
  org: string;
}

/**
 * The one place an event object is made: always the same keys, in the order of api.md, and its
 * org under a symbol key (never serialised).
 */
export function buildEvent(f: EventFields): LogEvent {
  return {
    event_id: f.event_id,
    ts: f.ts,
    ingested_at: f.ingested_at,
    dataset: f.dataset,
    severity: f.severity,
    event: f.event,
    actor: f.actor,
    source: f.source,
    message: f.message,
    payload: f.payload,
    bytes_raw: f.bytes_raw,
    [EVENT_ORG]: f.org,
  } as LogEvent;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;

/** Milliseconds of an RFC 3339 time, or undefined when the text is not one. */
export function parseRfc3339(text: string): number | undefined {
  if (!RFC3339.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}

const MAX_LABEL_CHARS = 256;

/** What an ingest body says, validated; the server adds ids and times. */
export interface EventInput {
  tsMs: number | undefined;
  severity: Severity;
  message: string;
  payload: Record<string, unknown>;
  dataset: string | undefined;
  event: string | undefined;
  actor: string | undefined;
  source: string | undefined;
}

export function parseEventInput(body: Record<string, unknown>): EventInput {
  const message = pickAlias(body, 'message', 'msg');
  if (message.value === undefined) throw badRequest('missing required field message', 'message');
  if (typeof message.value !== 'string' || message.value.trim() === '') {
    throw badRequest('message must be a non-empty string', message.key);
  }
  if (message.value.length > MAX_MESSAGE_CHARS) {
    throw badRequest(`${message.key} must be at most ${MAX_MESSAGE_CHARS} characters`, message.key);
  }
  return {
    tsMs: parseTs(body.ts),
    severity: parseSeverity(body),
    message: message.value,
    payload: parsePayload(body),
    dataset: parseLabel(body, 'dataset'),
    event: parseLabel(body, 'event'),
    actor: parseLabel(body, 'actor'),
    source: parseLabel(body, 'source', 'service'),
  };
}

function pickAlias(
  body: Record<string, unknown>,
  key: string,
  alias: string,
): { key: string; value: unknown } {
  if (body[key] !== undefined && body[key] !== null) return { key, value: body[key] };
  if (body[alias] !== undefined && body[alias] !== null) return { key: alias, value: body[alias] };
  return { key, value: undefined };
}

function parseTs(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const ms = typeof value === 'string' ? parseRfc3339(value) : undefined;
  if (ms === undefined)
    throw badRequest('ts must be an RFC 3339 time such as 2026-05-17T10:00:00.123Z', 'ts');
  return ms;
}

function parseSeverity(body: Record<string, unknown>): Severity {
  let chosen: Severity | undefined;
  for (const key of ['level', 'severity']) {
    const value = body[key];
    if (value === undefined || value === null) continue;
    const severity = typeof value === 'string' ? normalizeSeverity(value) : undefined;
    if (severity === undefined) {
      throw badRequest(`${key} must be one of debug, info, notice, warn, error, critical`, key);
    }
    if (chosen !== undefined && chosen !== severity)
      throw badRequest('level and severity disagree', 'severity');
    chosen = severity;
  }
  return chosen ?? 'info';
}

function parsePayload(body: Record<string, unknown>): Record<string, unknown> {
  const { key, value } = pickAlias(body, 'meta', 'payload');
  if (value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw badRequest(`${key} must be a JSON object`, key);
  // Depth first: serialising to measure the size would overflow the stack on deep input.
  const tooDeep = findTooDeep(value);
  if (tooDeep !== undefined) {
    throw badRequest(`${key} is nested deeper than ${MAX_PAYLOAD_DEPTH} levels`, `${key}.${tooDeep}`);
  }
  if (Buffer.byteLength(JSON.stringify(value)) > MAX_PAYLOAD_BYTES) {
    throw badRequest(`${key} must be at most ${MAX_PAYLOAD_BYTES} bytes as JSON`, key);
  }
  return value as Record<string, unknown>;
}

function parseLabel(body: Record<string, unknown>, key: string, alias?: string): string | undefined {
  const picked = alias ? pickAlias(body, key, alias) : { key, value: body[key] ?? undefined };
  if (picked.value === undefined || picked.value === null) return undefined;
  if (typeof picked.value !== 'string' || picked.value.length > MAX_LABEL_CHARS) {
    throw badRequest(`${picked.key} must be a string of at most ${MAX_LABEL_CHARS} characters`, picked.key);
  }
  return picked.value;
}
