/**
 * `--highlight REGEX`: what a line shows is searched for the patterns after it is formatted, and
 * each match is marked, in pretty lines, templates and the live view alike (never in NDJSON or
 * JSON, which programs read). Patterns are RE2, as in the filter language (soql/regex.ts): linear
 * in the text whatever the pattern, so no pattern can slow a tail down to a crawl.
 *
 * A match is shown in reverse video (SGR 7, ended by SGR 27). Those two codes touch nothing else:
 * the line's own colours (a critical line's red background, a dim summary) carry on through and
 * after a match, and the marks go only between characters the reader sees, never inside an escape
 * sequence. Formatted lines hold no escape sequences but the palette's own colour codes (text
 * from peers is escaped first), so those are the only sequences skipped.
 */
import { compileSearchPattern, type SearchPattern } from '../soql/regex.js';

/** Finds what `--highlight` marks in a text: sorted, non-overlapping [start, end) ranges. */
export interface Highlighter {
  ranges(text: string): [number, number][];
}

/** SGR 7 / SGR 27: reverse video on and off, independent of colours, bold and dim. */
export const HIGHLIGHT_ON = '\u001b[7m';
export const HIGHLIGHT_OFF = '\u001b[27m';

/**
 * One highlighter for all the patterns, or the first pattern that is not a usable RE2 regex and
 * why (for a usage error naming it).
 */
export function compileHighlighter(
  patterns: readonly string[],
): Highlighter | { pattern: string; error: string } {
  const compiled: SearchPattern[] = [];
  for (const pattern of patterns) {
    const result = compileSearchPattern(pattern);
    if ('error' in result) return { pattern, error: result.error };
    compiled.push(result);
  }
  return {
    ranges(text) {
      const found: [number, number][] = [];
      for (const pattern of compiled) found.push(...pattern.matches(text));
      return mergeRanges(found);
    },
  };
}

/** Ranges sorted by start, overlapping or touching ones joined. */
function mergeRanges(ranges: [number, number][]): [number, number][] {
  if (ranges.length < 2) return ranges;
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [ranges[0]!];
  for (const [start, end] of ranges.slice(1)) {
    const last = merged.at(-1)!;
    if (start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/** The palette's escape sequences: SGR only (`ESC [ params m`). */
const SGR = /\u001b\[[0-9;]*m/g;

/**
 * The line with every match of the highlighter marked, the line's own escape sequences kept as
 * they were. A line with no match is returned as it is. Several lines in one text (a template
 * may print more than one per event) are searched as one text: a match never spans a line break
 * only if the pattern says so (RE2's `.` does not match `\n`).
 */
export function highlightLine(
  line: string,
  highlighter: Highlighter,
  on: string = HIGHLIGHT_ON,
  off: string = HIGHLIGHT_OFF,
): string {
  // What the reader sees, and where each visible piece sits in the line.
  const pieces: { from: number; to: number; visible: number }[] = [];
  let visible = '';
  let at = 0;
  SGR.lastIndex = 0;
  for (let match = SGR.exec(line); match !== null; match = SGR.exec(line)) {
    if (match.index > at) {
      pieces.push({ from: at, to: match.index, visible: visible.length });
      visible += line.slice(at, match.index);
    }
    at = match.index + match[0].length;
  }
  if (at < line.length) {
    pieces.push({ from: at, to: line.length, visible: visible.length });
    visible += line.slice(at);
  }
  const ranges = highlighter.ranges(visible);
  if (ranges.length === 0) return line;
  // Where each mark goes in the line: a visible position mapped through the piece holding it.
  const marks: { at: number; text: string }[] = [];
  let piece = 0;
  const lineIndex = (position: number, isEnd: boolean): number => {
    while (
      piece < pieces.length - 1 &&
      (isEnd
        ? position > pieces[piece]!.visible + (pieces[piece]!.to - pieces[piece]!.from)
        : position >= pieces[piece]!.visible + (pieces[piece]!.to - pieces[piece]!.from))
    )
      piece += 1;
    const current = pieces[piece]!;
    return current.from + (position - current.visible);
  };
  for (const [start, end] of ranges) {
    marks.push({ at: lineIndex(start, false), text: on });
    marks.push({ at: lineIndex(end, true), text: off });
  }
  let out = '';
  let copied = 0;
  for (const mark of marks) {
    out += line.slice(copied, mark.at) + mark.text;
    copied = mark.at;
  }
  return out + line.slice(copied);
}
