/** Plain-text tables for terminals: pure, `(columns, rows) => lines`. */
import { sanitizeForTerminal } from './sanitize.js';

export interface TableOptions {
  /** Widest a column may grow before its cells are cut with an ellipsis (the last column is never cut). */
  maxColumnWidth?: number;
  paintHeader?: (text: string) => string;
}

/** Column widths that fit the header and every row, capped. */
export function measureColumns(
  columns: readonly string[],
  rows: readonly string[][],
  maxWidth = 60,
): number[] {
  return columns.map((title, index) =>
    Math.min(maxWidth, Math.max(title.length, ...rows.map((row) => visibleLength(row[index] ?? '')))),
  );
}

export function formatTableRow(cells: readonly string[], widths: readonly number[]): string {
  return cells
    .map((cell, index) => {
      const clean = sanitizeForTerminal(cell);
      const width = widths[index] ?? clean.length;
      if (index === cells.length - 1) return clean;
      return fit(clean, width);
    })
    .join('  ')
    .trimEnd();
}

export function formatTable(
  columns: readonly string[],
  rows: readonly string[][],
  options: TableOptions = {},
): string[] {
  const widths = measureColumns(columns, rows, options.maxColumnWidth);
  const paint = options.paintHeader ?? ((text: string) => text);
  return [paint(formatTableRow(columns, widths)), ...rows.map((row) => formatTableRow(row, widths))];
}

function fit(text: string, width: number): string {
  const length = visibleLength(text);
  if (length <= width) return text + ' '.repeat(width - length);
  return `${[...text].slice(0, width - 1).join('')}…`;
}

function visibleLength(text: string): number {
  return [...text].length;
}

/** A cell's text for any JSON value. */
export function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
