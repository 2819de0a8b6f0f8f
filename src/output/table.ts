/**
 * Plain-text tables for terminals: pure, `(columns, rows) => lines`. Widths are terminal columns
 * (text-width.ts); given the terminal's width, rows are cut to fit it, never wrapped.
 */
import { boundedJson } from './bounded-json.js';
import { sanitizeForTerminal } from './sanitize.js';
import { cutToWidth, displayWidth, fitToWidth } from './text-width.js';

export interface TableOptions {
  /** Widest a column may grow before its cells are cut with an ellipsis. */
  maxColumnWidth?: number;
  /** The terminal's width: columns shrink so that no row is wider (undefined: no limit, e.g. a pipe). */
  maxWidth?: number | undefined;
  /** Leave out the header line (`--no-headers`). */
  headers?: boolean;
  paintHeader?: (text: string) => string;
  /** Colours a cell after it is fitted (colour codes must not count towards widths or be cut). */
  paintCell?: (text: string, row: number, column: number) => string;
}

const COLUMN_GAP = 2;
/** Narrowest a column is squeezed to when the terminal is too narrow for all of them. */
const MIN_COLUMN_WIDTH = 4;

/** Column widths that fit the header and every row, capped, then shrunk to fit `maxWidth`. */
export function measureColumns(
  columns: readonly string[],
  rows: readonly string[][],
  maxColumnWidth = 60,
  maxWidth?: number,
): number[] {
  const widths = columns.map((title, index) =>
    Math.min(
      maxColumnWidth,
      Math.max(
        displayWidth(title),
        ...rows.map((row) => displayWidth(sanitizeForTerminal(row[index] ?? ''))),
      ),
    ),
  );
  return maxWidth === undefined ? widths : shrinkToFit(widths, maxWidth);
}

/**
 * The widest column gives up a column at a time until the row fits; the last column (usually
 * the message) takes what is left, so it is what gets cut first when it is the widest.
 */
function shrinkToFit(widths: number[], maxWidth: number): number[] {
  const fitted = [...widths];
  const total = (): number =>
    fitted.reduce((sum, width) => sum + width, 0) + COLUMN_GAP * (fitted.length - 1);
  while (total() > maxWidth) {
    let widest = -1;
    for (let index = 0; index < fitted.length; index += 1) {
      if (fitted[index]! > MIN_COLUMN_WIDTH && (widest === -1 || fitted[index]! >= fitted[widest]!))
        widest = index;
    }
    if (widest === -1) break;
    fitted[widest] = Math.max(MIN_COLUMN_WIDTH, fitted[widest]! - Math.max(1, total() - maxWidth));
  }
  return fitted;
}

/**
 * One row. Every cell is cut to its width; the last one is padded only when `widths` came from a
 * terminal's width (it is cut there, and trailing spaces are trimmed anyway).
 */
export function formatTableRow(
  cells: readonly string[],
  widths: readonly number[],
  paint: (text: string, column: number) => string = (text) => text,
): string {
  return cells
    .map((cell, index) => {
      const clean = sanitizeForTerminal(cell);
      const width = widths[index];
      if (index === cells.length - 1)
        return paint(width === undefined ? clean : cutToWidth(clean, width), index);
      const fitted = fitToWidth(clean, width ?? displayWidth(clean));
      // Padding stays outside the colour so that the columns line up.
      const text = fitted.trimEnd();
      return paint(text, index) + fitted.slice(text.length);
    })
    .join(' '.repeat(COLUMN_GAP))
    .trimEnd();
}

export function formatTable(
  columns: readonly string[],
  rows: readonly string[][],
  options: TableOptions = {},
): string[] {
  const titles = options.headers === false ? columns.map(() => '') : columns;
  const widths = measureColumns(titles, rows, options.maxColumnWidth, options.maxWidth);
  // Without a terminal width the last column is never cut: a pipe gets every character.
  const rowWidths = options.maxWidth === undefined ? widths.slice(0, -1) : widths;
  const paint = options.paintHeader ?? ((text: string) => text);
  const paintCell = options.paintCell;
  const body = rows.map((row, rowIndex) =>
    formatTableRow(row, rowWidths, paintCell && ((text, column) => paintCell(text, rowIndex, column))),
  );
  return options.headers === false ? body : [paint(formatTableRow(columns, rowWidths)), ...body];
}

/** A cell's text for any JSON value. */
export function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  return boundedJson(value) ?? '';
}
