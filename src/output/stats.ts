/** `/logs/stats` for people: a total, then each breakdown as a small table with shares. Pure. */
import type { LogStats } from '../api/types.js';
import type { Palette } from './palette.js';
import { formatTable } from './table.js';

export interface StatsFormatOptions {
  /** The time window in words (`in the last 1h`), when the stats cover one. */
  window?: string | undefined;
  /** Leave out the tables' header lines (`--no-headers`). */
  headers?: boolean | undefined;
  /** The terminal's width, which rows are cut to. */
  maxWidth?: number | undefined;
}

export function formatStats(stats: LogStats, palette: Palette, options: StatsFormatOptions = {}): string {
  const sections = [`${palette.bold('total')} ${stats.total}${options.window ? ` ${options.window}` : ''}`];
  const breakdowns: [string, Record<string, number>][] = [
    ['severity', stats.bySeverity],
    ['source', stats.bySource],
    ['dataset', stats.byDataset],
  ];
  for (const [title, counts] of breakdowns) {
    const rows = Object.entries(counts)
      .sort((a, b) => b[1] - a[1])
      .map(([name, count]) => [
        name,
        String(count),
        stats.total > 0 ? `${((count / stats.total) * 100).toFixed(1)}%` : '',
      ]);
    if (rows.length === 0) continue;
    const table = formatTable([title.toUpperCase(), 'COUNT', 'SHARE'], rows, {
      paintHeader: palette.bold,
      headers: options.headers,
      maxWidth: options.maxWidth,
      // Severity names in their level colour, from the one table (severity-style.ts).
      paintCell:
        title === 'severity'
          ? (text, row, column) => (column === 0 ? palette.severity(rows[row]![0])(text) : text)
          : undefined,
    });
    sections.push(table.join('\n'));
  }
  return `${sections.join('\n\n')}\n`;
}
