/** The widest query line `renderCaret` shows, in terminal columns, ellipses included. */
export const CARET_MAX_WIDTH = 80;

/** How many terminal columns a piece of text takes (string-width in the CLI). */
export type TextWidth = (text: string) => number;

// Control characters (tabs, CR, …) would move the terminal cursor by an amount we cannot know, so
// each is shown as one space: the two lines then stay aligned.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

// Made on first use: only an error that draws a caret needs it.
let graphemes: Intl.Segmenter | undefined;

/** Without a terminal's measure: one column per character as the user sees it. */
const oneColumnEach: TextWidth = () => 1;

interface Cell {
  text: string;
  /** Offset of the character in the line, in UTF-16 units. */
  index: number;
  /** First column it takes, and how many. */
  column: number;
  width: number;
}

/**
 * Two lines pointing at `position` (a UTF-16 offset) in `query`: the query, and a `^` under the
 * character there (or just past the end). Only the line of a multi-line query that holds
 * `position` is shown, and a line wider than 80 columns is cut around `position` with `…` on the
 * cut sides. Columns are counted per user-perceived character (an emoji, a letter with its
 * combining accents) as `width` measures it, so a CJK character or an emoji before the caret takes
 * its two columns and an accent none.
 */
export function renderCaret(query: string, position: number, width: TextWidth = oneColumnEach): string {
  const at = Math.max(0, Math.min(Number.isFinite(position) ? Math.trunc(position) : 0, query.length));
  const lineStart = query.lastIndexOf('\n', at - 1) + 1;
  const newline = query.indexOf('\n', at);
  const line = query.slice(lineStart, newline === -1 ? query.length : newline).replace(CONTROL, ' ');
  const cells: Cell[] = [];
  let total = 0;
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  for (const { segment, index } of graphemes.segment(line)) {
    const cellWidth = Math.max(0, width(segment));
    cells.push({ text: segment, index, column: total, width: cellWidth });
    total += cellWidth;
  }
  // The character holding `at` (a position inside a cluster points at the whole cluster).
  const offset = at - lineStart;
  let caret = total;
  for (const cell of cells) {
    if (cell.index + cell.text.length > offset) {
      caret = cell.column;
      break;
    }
  }
  if (total <= CARET_MAX_WIDTH) return `${line}\n${' '.repeat(caret)}^`;

  // Leave room for an ellipsis on each side and keep the caret near the middle of the window.
  const room = CARET_MAX_WIDTH - 2;
  const left = Math.max(0, Math.min(caret - Math.floor(room / 2), total - room));
  const shown = cells.filter((cell) => cell.column >= left && cell.column + cell.width <= left + room);
  const first = shown[0];
  const last = shown.at(-1);
  const start = first?.column ?? left;
  const head = start > 0 ? '…' : '';
  const tail = last !== undefined && last.column + last.width < total ? '…' : '';
  const text = shown.map((cell) => cell.text).join('');
  return `${head}${text}${tail}\n${' '.repeat(caret - start + head.length)}^`;
}
