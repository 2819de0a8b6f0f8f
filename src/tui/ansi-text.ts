/**
 * Text that already carries colour sequences, handled without breaking them: marking search
 * matches (the text between colour sequences is searched as one plain string, and reverse video
 * is switched on and off around each match), and cutting a line short before layout.
 */

const SGR = /\x1b\[[0-9;]*m/g;
const REVERSE_ON = '\x1b[7m';
const REVERSE_OFF = '\x1b[27m';

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
 * The line in at most `columns` characters (colour sequences do not count), cut without a marker
 * as `less -S` does. Cutting here rather than in layout bounds a row's per-frame cost by the
 * width, however long the event; and a row left in plain ASCII keeps the layout's width
 * measurement on its fast path. A line of wide characters may still be cut again by the layout,
 * which measures display width.
 */
export function fitVisible(line: string, columns: number): string {
  if (line.length <= columns || line.replace(SGR, '').length <= columns) return line;
  let out = '';
  let visible = 0;
  let last = 0;
  for (const match of line.matchAll(SGR)) {
    const run = line.slice(last, match.index);
    if (visible + run.length >= columns) break;
    out += run + match[0];
    visible += run.length;
    last = match.index + match[0].length;
  }
  return `${out}${line.slice(last, last + columns - visible)}\x1b[0m`;
}
