/** The widest query line `renderCaret` shows, in characters, ellipses included. */
export const CARET_MAX_WIDTH = 80;

// Control characters (tabs, CR, …) would move the terminal cursor by an amount we cannot know, so
// each is shown as one space: the two lines then stay aligned character for character.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * Two lines pointing at `position` in `query`: the query, and a `^` under the character there
 * (or just past the end). Only the line of a multi-line query that holds `position` is shown, and
 * a line wider than 80 characters is cut around `position` with `…` on the cut sides. Columns are
 * counted in code points, so an emoji or accented letter before the caret does not push it off.
 */
export function renderCaret(query: string, position: number): string {
  const at = Math.max(0, Math.min(Number.isFinite(position) ? Math.trunc(position) : 0, query.length));
  const lineStart = query.lastIndexOf('\n', at - 1) + 1;
  const newline = query.indexOf('\n', at);
  const lineEnd = newline === -1 ? query.length : newline;
  const chars = Array.from(query.slice(lineStart, lineEnd).replace(CONTROL, ' '));
  const column = Array.from(query.slice(lineStart, at)).length;

  if (chars.length <= CARET_MAX_WIDTH) return `${chars.join('')}\n${' '.repeat(column)}^`;

  // Leave room for an ellipsis on each side and keep the caret near the middle of the window.
  const room = CARET_MAX_WIDTH - 2;
  const start = Math.max(0, Math.min(column - Math.floor(room / 2), chars.length - room));
  const end = start + room;
  const head = start > 0 ? '…' : '';
  const tail = end < chars.length ? '…' : '';
  const shown = `${head}${chars.slice(start, end).join('')}${tail}`;
  return `${shown}\n${' '.repeat(column - start + head.length)}^`;
}
