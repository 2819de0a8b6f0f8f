/**
 * One readable, coloured line per event: time, level, source, message, then the rest as
 * `key=value`. Pure: `(event, options) => string`.
 */

import {
  commonFieldKeys,
  type EventRecord,
  eventMessage,
  eventSeverity,
  eventSource,
  eventTime,
  valueAtPath,
} from './fields.js';
import type { Palette } from './palette.js';
import { sanitizeForTerminal } from './sanitize.js';
import { LEVEL_LABEL_WIDTH, severityLabel, severityStyle } from './severity-style.js';
import { formatEventTime, type TimeStyle, type TimeZoneMode } from './time-format.js';

export interface PrettyOptions {
  palette: Palette;
  /** `full` shows the date (queries over days); `time` only the time of day (live tail). */
  timeStyle: TimeStyle;
  /** Local time (the default on a terminal) or UTC (`--utc`); UTC when not given. */
  timeZone?: TimeZoneMode | undefined;
  /** When set, the line shows these fields only, in this order (`--fields`). */
  fields?: readonly string[] | undefined;
  /** Longest summary of extra fields before it is cut with an ellipsis. */
  maxExtraChars?: number;
}

/** Fields not worth a terminal line (ids, bookkeeping) or shown through the payload summary. */
const HIDDEN_KEYS = new Set([
  'event_id',
  'ingested_at',
  'payload',
  'meta',
  'bytes_raw',
  'org_id',
  'project_id',
]);

const SOURCE_WIDTH = 12;

export function formatPrettyEvent(event: EventRecord, options: PrettyOptions): string {
  if (options.fields) return formatSelectedFields(event, options.fields, options);
  const { palette } = options;
  const parts = [
    formatTime(event, options),
    formatLevel(event, palette),
    palette.source(sanitizeForTerminal(eventSource(event) ?? '-').padEnd(SOURCE_WIDTH)),
    formatMessage(event, palette),
  ];
  const extra = summarizeExtra(event);
  if (extra) parts.push(palette.dim(truncate(extra, options.maxExtraChars ?? 400)));
  return parts.join(' ');
}

/** `--fields`: the chosen fields only, the common ones styled as in the full line. */
function formatSelectedFields(event: EventRecord, fields: readonly string[], options: PrettyOptions): string {
  const { palette } = options;
  const parts: string[] = [];
  for (const field of fields) {
    if (field === 'ts') parts.push(formatTime(event, options));
    else if (field === 'severity') parts.push(formatLevel(event, palette));
    else if (field === 'source') parts.push(palette.source(sanitizeForTerminal(eventSource(event) ?? '-')));
    else if (field === 'message') parts.push(formatMessage(event, palette));
    else {
      const value = valueAtPath(event, field);
      if (value !== undefined)
        parts.push(`${palette.dim(`${field}=`)}${sanitizeForTerminal(formatValue(value))}`);
    }
  }
  return parts.join(' ');
}

function formatTime(event: EventRecord, options: PrettyOptions): string {
  const format = { style: options.timeStyle, zone: options.timeZone ?? 'utc' } as const;
  return options.palette.time(formatEventTime(eventTime(event), format));
}

function formatLevel(event: EventRecord, palette: Palette): string {
  const severity = eventSeverity(event);
  const label = sanitizeForTerminal(severityLabel(severity));
  // Padding outside the colour: a background colour (critical) must not run past the word.
  return palette.severity(severity)(label) + ' '.repeat(Math.max(0, LEVEL_LABEL_WIDTH - label.length));
}

function formatMessage(event: EventRecord, palette: Palette): string {
  const severity = eventSeverity(event);
  const text = sanitizeForTerminal(eventMessage(event));
  // Only the loud levels colour the whole message; quieter ones stay in the default colour to be read.
  return severityStyle(severity)?.paintsMessage ? palette.severity(severity)(text) : text;
}

/** `2026-05-17 12:00:00.123` or `12:00:00.123` in the machine's zone. */
function formatLocalTime(date: Date, style: 'full' | 'time'): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  const time = `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`;
  if (style === 'time') return time;
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${time}`;
}

function summarizeExtra(event: EventRecord): string {
  const shown = new Set(commonFieldKeys(event));
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(event)) {
    if (HIDDEN_KEYS.has(key) || shown.has(key) || value === undefined || value === null) continue;
    pairs.push(`${key}=${formatValue(value)}`);
  }
  const payload = event.payload ?? event.meta;
  if (payload && typeof payload === 'object' && !Array.isArray(payload)) {
    for (const [key, value] of Object.entries(payload)) pairs.push(`${key}=${formatValue(value)}`);
  }
  return sanitizeForTerminal(pairs.join(' '));
}

/** Strings bare unless they would be ambiguous; everything else as compact JSON. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
