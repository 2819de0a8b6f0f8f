/**
 * One readable, coloured line per event: time, level, source, message, then the rest as
 * `key=value`. Pure in what it returns, `(event, options) => string`, though it remembers what
 * repeats from line to line (see below).
 */

import {
  COMMON_FIELD_KEYS,
  type EventRecord,
  eventMessage,
  eventSource,
  firstKey,
  timeAt,
  timeKey,
  valueAtPath,
} from '../model/event-record.js';
import { boundedJson } from './bounded-json.js';
import { type Palette, type Wrap, wrapOf, wrapText } from './palette.js';
import { sanitizeForTerminal } from './sanitize.js';
import { LEVEL_LABEL_WIDTH, severityLabel, severityStyle } from './severity-style.js';
import { createTimeFormatter, type TimeStyle, type TimeZoneMode } from './time-format.js';

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

/*
 * The pretty line is the tail's hot path (benchmark B2 leaves a few hundred nanoseconds per event
 * for it). What depends only on the palette and on a level's, a source's or a key's text (labels,
 * padding, escape codes) is worked out once and remembered; the time comes from a formatter that
 * remembers its last second; values that are printable ASCII skip the sanitizing regex; and the
 * line is a handful of concatenations. Every painted piece is sanitized, so it holds no escape and
 * no line break, and chalk would only have wrapped it (`Wrap`). test/output/pretty-reference.test.ts
 * holds the line to the plain implementation it replaced, byte for byte.
 */

/** The level column (label, colour, padding, and the space after it) and the message's paint. */
interface LevelCell {
  column: string;
  /** Set for the loud levels, which colour the whole message. */
  message: Wrap | undefined;
}

interface LineStyle {
  palette: Palette;
  timeOpen: string;
  /** The time's closing code and the space after it. */
  timeClose: string;
  /** The space before the summary and its opening code. */
  dimOpen: string;
  dimClose: string;
  noLevel: LevelCell;
  /** By the level's text as the event has it, before lower-casing. */
  levels: Map<string, LevelCell>;
  /** The painted, padded source column and the space after it, by the source's text. */
  sources: Map<string, string>;
}

/** Real traffic has a handful of levels, sources and keys; past this, unusual text is worked out afresh. */
const MEMO_LIMIT = 256;

const lineStyles = new WeakMap<Palette, LineStyle>();
let lastStyle: LineStyle | undefined;

function lineStyleFor(palette: Palette): LineStyle {
  if (lastStyle?.palette === palette) return lastStyle;
  let style = lineStyles.get(palette);
  if (!style) {
    const time = wrapOf(palette.time);
    const dim = wrapOf(palette.dim);
    style = {
      palette,
      timeOpen: time.open,
      timeClose: `${time.close} `,
      dimOpen: ` ${dim.open}`,
      dimClose: dim.close,
      noLevel: levelCellOf(palette, undefined),
      levels: new Map(),
      sources: new Map(),
    };
    lineStyles.set(palette, style);
  }
  lastStyle = style;
  return style;
}

function levelCellOf(palette: Palette, severity: string | undefined): LevelCell {
  const label = sanitizeForTerminal(severityLabel(severity));
  const paint = palette.severity(severity);
  return {
    // Padding outside the colour: a background colour (critical) must not run past the word.
    column: `${paint(label)}${' '.repeat(Math.max(0, LEVEL_LABEL_WIDTH - label.length))} `,
    // Only the loud levels colour the whole message; quieter ones stay in the default colour to be read.
    message: severityStyle(severity)?.paintsMessage ? wrapOf(paint) : undefined,
  };
}

/** `text`: the level as the event has it (`eventSeverity` lower-cases it). */
function levelCell(text: string | undefined, style: LineStyle): LevelCell {
  if (text === undefined) return style.noLevel;
  let cell = style.levels.get(text);
  if (cell === undefined) {
    cell = levelCellOf(style.palette, text.toLowerCase());
    if (style.levels.size < MEMO_LIMIT) style.levels.set(text, cell);
  }
  return cell;
}

function sourceColumn(text: string, style: LineStyle): string {
  let column = style.sources.get(text);
  if (column === undefined) {
    column = `${style.palette.source(sanitizeForTerminal(text).padEnd(SOURCE_WIDTH))} `;
    if (style.sources.size < MEMO_LIMIT) style.sources.set(text, column);
  }
  return column;
}

/** The time formatter of the last options seen: callers keep one options object for a run of lines. */
let lastTime: {
  options: PrettyOptions;
  style: TimeStyle;
  zone: TimeZoneMode;
  format: (iso?: string) => string;
};

function timeText(event: EventRecord, options: PrettyOptions, key = timeKey(event)): string {
  const zone = options.timeZone ?? 'utc';
  let memo = lastTime;
  if (memo?.options !== options || memo.style !== options.timeStyle || memo.zone !== zone) {
    memo = {
      options,
      style: options.timeStyle,
      zone,
      format: createTimeFormatter({ style: options.timeStyle, zone }),
    };
    lastTime = memo;
  }
  return memo.format(timeAt(event, key));
}

/** A common column's text as the readers of model/event-record.ts give it, from the key `firstKey` chose. */
function textAt(event: EventRecord, key: string | undefined): string | undefined {
  return key === undefined ? undefined : String(event[key]);
}

export function formatPrettyEvent(event: EventRecord, options: PrettyOptions): string {
  if (options.fields) return formatSelectedFields(event, options.fields, options);
  const style = lineStyleFor(options.palette);
  const severityKey = firstKey(event, COMMON_FIELD_KEYS.severity);
  const sourceKey = firstKey(event, COMMON_FIELD_KEYS.source);
  const messageKey = firstKey(event, COMMON_FIELD_KEYS.message);
  const tsKey = timeKey(event);
  const level = levelCell(textAt(event, severityKey), style);
  // A field found under a key of the table is read in place; one derived from others (an audit
  // row's source, a request line) through the reader, and its parts stay among the other fields.
  const message = sanitizeForTerminal(
    messageKey === undefined ? eventMessage(event) : textAt(event, messageKey)!,
  );
  const source = sourceKey === undefined ? eventSource(event) : textAt(event, sourceKey);
  // The time is never empty: a missing one is a padded dash.
  let line =
    style.timeOpen +
    timeText(event, options, tsKey) +
    style.timeClose +
    level.column +
    sourceColumn(source ?? '-', style) +
    (level.message ? wrapText(level.message, message) : message);
  const extra = summarizeExtra(event, tsKey, severityKey, sourceKey, messageKey);
  if (extra) line += style.dimOpen + truncate(extra, options.maxExtraChars ?? 400) + style.dimClose;
  return line;
}

/** `--fields`: the chosen fields only, the common ones styled as in the full line. */
function formatSelectedFields(event: EventRecord, fields: readonly string[], options: PrettyOptions): string {
  const { palette } = options;
  const style = lineStyleFor(palette);
  const level = (): LevelCell => levelCell(textAt(event, firstKey(event, COMMON_FIELD_KEYS.severity)), style);
  const parts: string[] = [];
  for (const field of fields) {
    if (field === 'ts') parts.push(palette.time(timeText(event, options)));
    // The column without the space that separates it in the full line.
    else if (field === 'severity') parts.push(level().column.slice(0, -1));
    else if (field === 'source') parts.push(palette.source(sanitizeForTerminal(eventSource(event) ?? '-')));
    else if (field === 'message') {
      const paint = level().message;
      const text = sanitizeForTerminal(eventMessage(event));
      parts.push(paint ? wrapText(paint, text) : text);
    } else {
      const value = valueAtPath(event, field);
      if (value !== undefined)
        parts.push(`${palette.dim(`${field}=`)}${sanitizeForTerminal(formatValue(value))}`);
    }
  }
  return parts.join(' ');
}

/**
 * The fields the columns do not show, as `key=value`, then the payload's: terminal-safe (escaping
 * is per character, so escaping each piece equals escaping the whole), not yet cut to length.
 */
function summarizeExtra(
  event: EventRecord,
  timeKey: string | undefined,
  severityKey: string | undefined,
  sourceKey: string | undefined,
  messageKey: string | undefined,
): string {
  let text = '';
  for (const key of Object.keys(event)) {
    if (key === timeKey || key === severityKey || key === sourceKey || key === messageKey) continue;
    const value = event[key];
    if (value === undefined || value === null || HIDDEN_KEYS.has(key)) continue;
    text += keyPrefix(key, text === '') + valueText(value);
  }
  const payload = event.payload ?? event.meta;
  if (payload && typeof payload === 'object' && !Array.isArray(payload)) {
    const fields = payload as EventRecord;
    const keys = Object.keys(fields);
    const prefixes = laterPrefixes(keys);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      text += (text === '' ? keyPrefix(key, true) : prefixes[i]) + valueText(fields[key]);
    }
  }
  return text;
}

/** The payload keys of the last event and their ` key=`: a stream's payloads mostly share their keys. */
let lastKeys: readonly string[] = [];
let lastPrefixes: readonly string[] = [];

function laterPrefixes(keys: readonly string[]): readonly string[] {
  if (keys.length === lastKeys.length && keys.every((key, i) => key === lastKeys[i])) return lastPrefixes;
  lastKeys = keys;
  lastPrefixes = keys.map((key) => keyPrefix(key, false));
  return lastPrefixes;
}

/** `key=` for the first pair and ` key=` for the others, the key made terminal-safe. */
const keyPrefixes = new Map<string, readonly [string, string]>();

function keyPrefix(key: string, first: boolean): string {
  let prefixes = keyPrefixes.get(key);
  if (prefixes === undefined) {
    const safe = sanitizeForTerminal(key);
    prefixes = [`${safe}=`, ` ${safe}=`];
    if (keyPrefixes.size < MEMO_LIMIT) keyPrefixes.set(key, prefixes);
  }
  return first ? prefixes[0] : prefixes[1];
}

/** `sanitizeForTerminal(formatValue(value))`, without either regex for the commonest values. */
function valueText(value: unknown): string {
  if (typeof value === 'string') {
    const shape = asciiShape(value);
    if (shape === 'bare') return value;
    // JSON escapes only the quote and the backslash of printable ASCII: nothing left to sanitize.
    if (shape === 'quoted') return JSON.stringify(value);
  } else if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  else if (typeof value === 'boolean') return value ? 'true' : 'false';
  return sanitizeForTerminal(formatValue(value));
}

/**
 * For text of printable ASCII only, whether `formatValue` leaves it bare (no space, quote or `=`;
 * in ASCII the space is the only printable `\s`) or quotes it; `other` for anything else.
 */
function asciiShape(text: string): 'bare' | 'quoted' | 'other' {
  let bare = text.length > 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code > 0x7e) return 'other';
    if (code === 0x20 || code === 0x22 || code === 0x3d) bare = false;
  }
  return bare ? 'bare' : 'quoted';
}

const BARE = /^[^\s"=]+$/;

/** Strings bare unless they would be ambiguous; everything else as compact JSON. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return BARE.test(value) ? value : JSON.stringify(value);
  return boundedJson(value) ?? String(value);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
