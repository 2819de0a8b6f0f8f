/** `/logs/stats` for people: a total, then each breakdown as a small table with shares. Pure. */
import type { LogStats } from '../api/types.js';
import type { Palette } from './palette.js';
import { formatTable } from './table.js';

export function formatStats(stats: LogStats, palette: Palette): string {
  const sections = [`${palette.bold('total')} ${stats.total}`];
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
    sections.push(
      formatTable([title.toUpperCase(), 'COUNT', 'SHARE'], rows, { paintHeader: palette.bold }).join('\n'),
    );
  }
  return `${sections.join('\n\n')}\n`;
}
