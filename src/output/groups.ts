/** GROUP BY results: a table for people, one JSON object per group for pipes. Pure formatters. */
import type { OutputFormat } from './formats.js';
import type { Palette } from './palette.js';
import { cellText, formatTable } from './table.js';

export interface Group {
  key: Record<string, unknown>;
  count: number;
}

export function formatGroups(groups: readonly Group[], format: OutputFormat, palette: Palette): string {
  if (format === 'ndjson') return groups.map((group) => `${JSON.stringify(group)}\n`).join('');
  if (format === 'json') return `${JSON.stringify(groups, null, 2)}\n`;
  const keys = groups[0] ? Object.keys(groups[0].key) : [];
  const total = groups.reduce((sum, group) => sum + group.count, 0);
  const rows = groups.map((group) => [
    ...keys.map((key) => cellText(group.key[key]) || '(none)'),
    String(group.count),
    total > 0 ? `${((group.count / total) * 100).toFixed(1)}%` : '',
  ]);
  const lines = formatTable([...keys.map((key) => key.toUpperCase()), 'COUNT', 'SHARE'], rows, {
    paintHeader: palette.bold,
  });
  return `${lines.join('\n')}\n`;
}
