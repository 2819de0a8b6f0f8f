/**
 * Text that already carries colour sequences, handled without breaking them: marking search
 * matches (the text between colour sequences is searched as one plain string, and reverse video
 * is switched on and off around each match), and cutting a line to the terminal's width in
 * columns (CJK characters and emoji take two) before it is drawn.
 */
import { displayWidth } from '../output/text-width.js';
import type { Row } from './screen.js';

const SGR = /\x1b\[[0-9;]*m/g;
const REVERSE_ON = '\x1b[7m';
const REVERSE_OFF = '\x1b[27m';
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const segmenter = new Intl.Segmenter();

/** `line` with every case-insensitive occurrence of `needle` in reverse video. */
export function highlightMatches(line: string, needle: string): string {
  if (needle === '') return line;
  // Split into text runs and the colour sequences between them.
  const parts: Array<{ text: string; sgr: boolean }> = [];
  let last = 0;
  for (const match of line.matchAll(SGR)) {
    if (match.index > last) parts.push({ text: line.slice(last, match.index), sgr: false });
    parts.push({ text: match[0], sgr: true });
    last = match.index + match[0].length;
  }
  if (last < line.length) parts.push({ text: line.slice(last), sgr: false });

  const plain = parts
    .filter((part) => !part.sgr)
    .map((part) => part.text)
    .join('');
  const marks = new Uint8Array(plain.length);
  const haystack = plain.toLowerCase();
  const lowerNeedle = needle.toLowerCase();
  let found = false;
  // toLowerCase keeps lengths for the scripts logs use; where it would not, fall back to no marks.
  if (haystack.length === plain.length) {
    for (let at = haystack.indexOf(lowerNeedle); at !== -1; at = haystack.indexOf(lowerNeedle, at + 1)) {
      marks.fill(1, at, at + lowerNeedle.length);
      found = true;
    }
  }
  if (!found) return line;

  let out = '';
  let offset = 0;
  let on = false;
  for (const part of parts) {
    if (part.sgr) {
      out += part.text;
      // A full reset inside a match would also end the reverse video: switch it back on.
      if (on && (part.text === '\x1b[0m' || part.text === '\x1b[m')) out += REVERSE_ON;
      continue;
    }
    for (let i = 0; i < part.text.length; i++) {
      const mark = marks[offset + i] === 1;
      if (mark !== on) {
        out += mark ? REVERSE_ON : REVERSE_OFF;
        on = mark;
      }
      out += part.text[i];
    }
    offset += part.text.length;
  }
  return on ? out + REVERSE_OFF : out;
}

/**
 * The line in at most `columns` columns (colour sequences take none), cut without a marker as
 * `less -S` does, never inside a character or a grapheme (an emoji with its modifiers, a letter
 * with its accents), and its width. A line of printable ASCII, most log lines, takes the fast
 * path: its width is its length.
 */
export function fitRow(line: string, columns: number): Row {
  const limit = Math.max(0, columns);
  const plain = line.includes('\x1b') ? line.replace(SGR, '') : line;
  if (PRINTABLE_ASCII.test(plain)) {
    if (plain.length <= limit) return { text: line, width: plain.length };
    if (plain === line) return { text: line.slice(0, limit), width: limit };
  } else {
    const width = displayWidth(plain);
    if (width <= limit) return { text: line, width };
  }
  let out = '';
  let used = 0;
  let last = 0;
  const runs = [...line.matchAll(SGR), undefined];
  for (const match of runs) {
    const end = match === undefined ? line.length : match.index;
    const run = line.slice(last, end);
    const cut = cutRun(run, limit - used);
    out += cut.text;
    used += cut.width;
    if (cut.text.length < run.length) break;
    if (match === undefined) break;
    out += match[0];
    last = end + match[0].length;
  }
  // Whatever colour was on where the line was cut is switched off.
  return { text: `${out}\x1b[0m`, width: used };
}

/** The longest start of `run` (no colour sequences) that fits in `columns`. */
function cutRun(run: string, columns: number): Row {
  if (PRINTABLE_ASCII.test(run)) {
    const text = run.length <= columns ? run : run.slice(0, Math.max(0, columns));
    return { text, width: text.length };
  }
  let text = '';
  let width = 0;
  for (const { segment } of segmenter.segment(run)) {
    const next = displayWidth(segment);
    if (width + next > columns) break;
    text += segment;
    width += next;
  }
  return { text, width };
}
