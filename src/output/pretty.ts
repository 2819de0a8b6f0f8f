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

export interface PrettyOptions {
  palette: Palette;
  /** `full` shows the date (queries over days); `time` only the time of day (live tail). */
  timeStyle: 'full' | 'time';
  /** Show times in the local zone (the live tail's default) rather than UTC. */
  localTime?: boolean | undefined;
  /** When set, these fields are shown instead of the payload summary. */
  fields?: readonly string[] | undefined;
  /** Longest summary of extra fields before it is cut with an ellipsis. */
  maxExtraChars?: number;
}

const LEVEL_LABELS: Readonly<Record<string, string>> = {
  debug: 'DEBUG',
  info: 'INFO ',
  notice: 'NOTE ',
  warn: 'WARN ',
  warning: 'WARN ',
  error: 'ERROR',
  err: 'ERROR',
  critical: 'CRIT ',
  fatal: 'CRIT ',
};

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
  const { palette } = options;
  const severity = eventSeverity(event);
  const paint = palette.severity(severity);
  const label = severity ? (LEVEL_LABELS[severity] ?? severity.toUpperCase().slice(0, 5).padEnd(5)) : '-    ';
  const parts = [
    palette.time(formatTime(eventTime(event), options.timeStyle, options.localTime === true)),
    paint(label),
    palette.source(sanitizeForTerminal(eventSource(event) ?? '-').padEnd(SOURCE_WIDTH)),
    formatMessage(event, severity, palette),
  ];
  const extra = options.fields ? summarizeFields(event, options.fields) : summarizeExtra(event);
  if (extra) parts.push(palette.dim(truncate(extra, options.maxExtraChars ?? 400)));
  return parts.join(' ');
}

const LOUD_SEVERITIES = new Set(['error', 'err', 'critical', 'fatal']);

function formatMessage(event: EventRecord, severity: string | undefined, palette: Palette): string {
  const text = sanitizeForTerminal(eventMessage(event));
  // Only the loud levels colour the whole message; quieter ones stay in the default colour to be read.
  return severity && LOUD_SEVERITIES.has(severity) ? palette.severity(severity)(text) : text;
}

function formatTime(iso: string | undefined, style: 'full' | 'time', local: boolean): string {
  if (!iso) return style === 'full' ? '-'.padEnd(24) : '-'.padEnd(12);
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return sanitizeForTerminal(iso);
  if (local) return formatLocalTime(date, style);
  const full = date.toISOString(); // 2026-05-17T10:00:00.123Z
  return style === 'full' ? `${full.slice(0, 10)} ${full.slice(11)}` : full.slice(11, 23);
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

function summarizeFields(event: EventRecord, fields: readonly string[]): string {
  const pairs: string[] = [];
  for (const field of fields) {
    const value = valueAtPath(event, field);
    if (value !== undefined) pairs.push(`${field}=${formatValue(value)}`);
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
