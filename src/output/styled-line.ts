/**
 * A line for a terminal built so that only our own styles can be in it: plain texts, which are
 * escaped and cleared of secrets whatever they hold (sanitize.ts `sanitizeMessage`), and `Styled`
 * pieces, whose text is escaped the same way before our palette paints it. A string with an escape
 * sequence in it is shown escaped, whoever made it. The stderr writer (cli/chatter.ts) renders
 * every line this way.
 */
import { sanitizeMessage } from './sanitize.js';

/** A piece of a line in one of our own styles: its text is escaped like any other, then painted. */
export interface Styled {
  readonly text: string;
  /** A palette function (`palette.dim`): ours, never a peer's. */
  readonly paint: (text: string) => string;
}

/** One line: plain text, a styled piece, or pieces of both. */
export type StyledLine = string | Styled | readonly (string | Styled)[];

/** `text` shown in the style `paint` (a palette function). */
export function styled(paint: (text: string) => string, text: string): Styled {
  return { text, paint };
}

/** The finished, terminal-safe text of a line: one line, whatever its texts held. */
export function renderLine(line: StyledLine): string {
  if (typeof line === 'string') return sanitizeMessage(line);
  if (!Array.isArray(line)) return renderPiece(line as Styled);
  let text = '';
  for (const piece of line as readonly (string | Styled)[]) text += renderPiece(piece);
  return text;
}

function renderPiece(piece: string | Styled): string {
  return typeof piece === 'string' ? sanitizeMessage(piece) : piece.paint(sanitizeMessage(piece.text));
}
