/**
 * The keys, listed by `?` (and in the README's tables): the live view's, or the query view's,
 * where nothing arrives to pause and `space` pages down. On a narrow screen what a key does wraps
 * under its description instead of being cut, so every word of it can be read by scrolling.
 */
import { displayWidth } from '../output/text-width.js';

/** Key, then what it does. */
type KeyHelp = ReadonlyArray<readonly [string, string]>;

const SHARED_KEYS: KeyHelp = [
  ['/', 'search (case-insensitive); matches are highlighted'],
  ['n N', 'next older / newer match'],
  ['1 … 6', 'minimum severity: 1 all, 2 info, 3 notice, 4 warn, 5 error, 6 critical'],
];

const LIVE_KEYS: KeyHelp = [
  ['space', 'pause / follow (events keep arriving while paused: "+N new")'],
  ['j k ↑ ↓', 'move the cursor (pauses); down past the newest follows again'],
  ['PgUp PgDn', 'a page up or down; up past the oldest loads older events'],
  ['g G', 'the oldest event loaded (again: a page further back) / the newest, following'],
  ...SHARED_KEYS,
  ['f', 'refine: a SOQL filter applied to the buffer, the history and new events (empty clears)'],
  ['enter', 'the selected event in full, as pretty JSON'],
  ['y', 'copy the selected event as one JSON line (clipboard via OSC 52, or a file)'],
  ['w', 'write the shown events to an NDJSON file'],
  ['c', 'clear the buffer'],
  ['?', 'this help'],
  ['q  Ctrl-C', 'quit'],
];

const QUERY_KEYS: KeyHelp = [
  ['space', 'a page down'],
  ['j k ↑ ↓', 'move the cursor; past either end loads more of the result'],
  ['PgUp PgDn', 'a page up or down, loading more of the result as needed'],
  ['g G', 'the oldest event loaded (again: a page further back) / the newest'],
  ...SHARED_KEYS,
  ['f', 'refine: a SOQL filter applied to the result, loaded again with it (empty clears)'],
  ['enter', 'the selected event in full, as pretty JSON'],
  ['y', 'copy the selected event as one JSON line (clipboard via OSC 52, or a file)'],
  ['w', 'write the shown events to an NDJSON file'],
  ['c', 'load the result again from its newest events'],
  ['?', 'this help'],
  ['q  Ctrl-C', 'quit'],
];

/** The keys of the live view (`live`) or of the query view. */
export function keyHelp(live: boolean): KeyHelp {
  return live ? LIVE_KEYS : QUERY_KEYS;
}

/** Columns of the key column, padding included. */
const KEY_COLUMN = 11;
/** Below this many columns for the descriptions, they are cut rather than wrapped a word a line. */
const MIN_WRAP_COLUMNS = 12;

/** A line of the help: the keys (on a description's first line only), then its text. */
export interface HelpLine {
  keys: string;
  text: string;
}

/** The help's lines at `columns`: each description wrapped at word boundaries to the width. */
export function helpLines(live: boolean, columns: number): HelpLine[] {
  const room = columns - KEY_COLUMN;
  const lines: HelpLine[] = [];
  for (const [keys, action] of keyHelp(live)) {
    const wrapped = room >= MIN_WRAP_COLUMNS ? wrapWords(action, room) : [action];
    wrapped.forEach((text, index) => {
      lines.push({ keys: index === 0 ? keys.padEnd(KEY_COLUMN) : ' '.repeat(KEY_COLUMN), text });
    });
  }
  return lines;
}

/** `text` in lines of at most `columns` columns, broken between words (a longer word is cut later). */
function wrapWords(text: string, columns: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (line !== '' && displayWidth(candidate) > columns) {
      lines.push(line);
      line = word;
    } else line = candidate;
  }
  lines.push(line);
  return lines;
}
