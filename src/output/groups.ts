/** GROUP BY results: a table for people, one JSON object per group for pipes. Pure formatters. */
import { boundedJson } from './bounded-json.js';
import type { Palette } from './palette.js';
import { cellText, formatTable } from './table.js';

export interface Group {
  key: Record<string, unknown>;
  count: number;
}

export interface GroupFormatOptions {
  palette: Palette;
  /** The GROUP BY fields, in query order: the table's first columns even when no group came back. */
  keys: readonly string[];
  /** Table: leave out the header line (`--no-headers`). */
  headers?: boolean | undefined;
  /** Table: the terminal's width, which rows are cut to. */
  maxWidth?: number | undefined;
}

/** The output modes GROUP BY results can be shown in (`pretty` shows a table). */
export const GROUP_FORMATS = ['table', 'pretty', 'ndjson', 'json', 'raw'] as const;
export type GroupFormat = (typeof GROUP_FORMATS)[number];

export function isGroupFormat(format: string): format is GroupFormat {
  return (GROUP_FORMATS as readonly string[]).includes(format);
}

export function formatGroups(
  groups: readonly Group[],
  format: GroupFormat,
  options: GroupFormatOptions,
): string {
  if (format === 'ndjson') return groups.map((group) => `${boundedJson(group)}\n`).join('');
  if (format === 'json') return `${boundedJson(groups, 2)}\n`;
  const { keys } = options;
  if (format === 'raw') {
    // Like `uniq -c`: the count, then the key values, tab-separated, for `sort` and `awk`.
    return groups
      .map((group) => `${[String(group.count), ...keys.map((key) => cellText(group.key[key]))].join('\t')}\n`)
      .join('');
  }
  const total = groups.reduce((sum, group) => sum + group.count, 0);
  const rows = groups.map((group) => [
    ...keys.map((key) => cellText(group.key[key]) || '(none)'),
    String(group.count),
    total > 0 ? `${((group.count / total) * 100).toFixed(1)}%` : '',
  ]);
  const severityColumn = keys.indexOf('severity');
  const lines = formatTable([...keys.map((key) => key.toUpperCase()), 'COUNT', 'SHARE'], rows, {
    paintHeader: options.palette.bold,
    paintCell: (text, _row, column) =>
      column === severityColumn ? options.palette.severity(text)(text) : text,
    headers: options.headers,
    maxWidth: options.maxWidth,
  });
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
