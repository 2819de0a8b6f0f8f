/**
 * Small records (a session, a profile, whoami, stats) for people and for pipes: aligned
 * `key: value` lines on a terminal, NDJSON to a pipe (like events), one indented JSON document
 * with `-o json`. Pure formatters.
 */
import { boundedJson } from './bounded-json.js';
import type { RecordFormat } from './formats.js';
import type { Palette } from './palette.js';
import { sanitizeForTerminal } from './sanitize.js';
import { cellText, formatTable } from './table.js';

export { RECORD_FORMATS, type RecordFormat } from './formats.js';

export function defaultRecordFormat(requested: RecordFormat | undefined, isTTY: boolean): RecordFormat {
  return requested ?? (isTTY ? 'table' : 'ndjson');
}

/**
 * One record: `key: value` lines for a table (empty values left out, a list of plain values
 * joined with commas), indented JSON for `json`, one line for `ndjson`.
 */
export function formatRecord(record: object, format: RecordFormat, palette: Palette): string {
  if (format === 'json') return `${boundedJson(record, 2)}\n`;
  if (format === 'ndjson') return `${boundedJson(record)}\n`;
  const entries = Object.entries(record).filter(([, value]) => value !== undefined && value !== null);
  const width = Math.max(0, ...entries.map(([key]) => key.length));
  return entries
    .map(
      ([key, value]) =>
        `${palette.key(`${sanitizeForTerminal(key)}:`.padEnd(width + 1))} ${sanitizeForTerminal(recordValueText(value))}\n`,
    )
    .join('');
}

function recordValueText(value: unknown): string {
  const plainList = Array.isArray(value) && value.every((item) => item === null || typeof item !== 'object');
  return plainList ? value.map(cellText).join(', ') : cellText(value);
}

/** Many records: a table with the given columns, a JSON array, or one JSON object per line. */
export function formatRecordList(
  records: readonly object[],
  columns: readonly { key: string; title: string }[],
  format: RecordFormat,
  palette: Palette,
  /** A table's width on a terminal: cells are cut to fit instead of wrapping. */
  maxWidth?: number | undefined,
): string {
  if (format === 'json') return `${boundedJson(records, 2)}\n`;
  if (format === 'ndjson') return records.map((record) => `${boundedJson(record)}\n`).join('');
  const rows = records.map((record) =>
    columns.map((column) => cellText((record as Record<string, unknown>)[column.key])),
  );
  const lines = formatTable(
    columns.map((column) => column.title),
    rows,
    { paintHeader: palette.bold, maxWidth },
  );
  return `${lines.join('\n')}\n`;
}
