/** Plain-text tables for terminals: pure, `(columns, rows) => lines`. */
import { sanitizeForTerminal } from './sanitize.js';

export interface TableOptions {
  /** Widest a column may grow before its cells are cut with an ellipsis (the last column is never cut). */
  maxColumnWidth?: number;
  paintHeader?: (text: string) => string;
  /** Colours a cell after it is fitted (colour codes must not count towards widths or be cut). */
  paintCell?: (text: string, row: number, column: number) => string;
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

export function formatTableRow(
  cells: readonly string[],
  widths: readonly number[],
  paint: (text: string, column: number) => string = (text) => text,
): string {
  return cells
    .map((cell, index) => {
      const clean = sanitizeForTerminal(cell);
      if (index === cells.length - 1) return paint(clean, index);
      const fitted = fitToWidth(clean, widths[index] ?? clean.length);
      // Padding stays outside the colour so that the columns line up.
      const text = fitted.trimEnd();
      return paint(text, index) + fitted.slice(text.length);
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
  const paintCell = options.paintCell;
  return [
    paint(formatTableRow(columns, widths)),
    ...rows.map((row, rowIndex) =>
      formatTableRow(row, widths, paintCell && ((text, column) => paintCell(text, rowIndex, column))),
    ),
  ];
}

function fitToWidth(text: string, width: number): string {
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
