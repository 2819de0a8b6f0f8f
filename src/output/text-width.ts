/**
 * Text measured in terminal columns: CJK characters and emoji take two, combining marks none
 * (string-width), for the tables and the live view alike. Loaded only by those paths, never at
 * start-up.
 */
import stringWidth from 'string-width';

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const segmenter = new Intl.Segmenter();

/** Columns the text takes on a terminal. */
export function displayWidth(text: string): number {
  return PRINTABLE_ASCII.test(text) ? text.length : stringWidth(text);
}

/** The text cut to at most `width` columns, ending with `…` when something was cut. */
export function cutToWidth(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return '';
  if (PRINTABLE_ASCII.test(text)) return `${text.slice(0, width - 1)}…`;
  let used = 0;
  let cut = '';
  // Whole grapheme clusters only: an emoji or a letter with its accents is never split.
  for (const { segment } of segmenter.segment(text)) {
    const columns = stringWidth(segment);
    if (used + columns > width - 1) break;
    used += columns;
    cut += segment;
  }
  return `${cut}…`;
}

/** The text padded with spaces to `width` columns (cut first when it is wider). */
export function fitToWidth(text: string, width: number): string {
  const cut = cutToWidth(text, width);
  return cut + ' '.repeat(Math.max(0, width - displayWidth(cut)));
}
