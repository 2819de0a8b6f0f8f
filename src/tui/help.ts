/** The keys, listed by `?` (and in the README's table). */
import type { Palette } from '../output/palette.js';

/** Key, then what it does. */
export const KEY_HELP: ReadonlyArray<readonly [string, string]> = [
  ['space', 'pause / follow (events keep arriving while paused: "+N new")'],
  ['j k ↑ ↓', 'move the cursor (pauses); down past the newest follows again'],
  ['PgUp PgDn', 'a page up or down; up past the oldest loads older events'],
  ['g G', 'the oldest event loaded (again: a page further back) / the newest'],
  ['/', 'search (case-insensitive); matches are highlighted'],
  ['n N', 'next older / newer match'],
  ['1 … 6', 'minimum severity: 1 all, 2 info, 3 notice, 4 warn, 5 error, 6 critical'],
  ['f', 'refine: a SOQL filter applied to the buffer and to new events (empty clears)'],
  ['enter', 'the selected event in full, as pretty JSON'],
  ['y', 'copy the selected event as one JSON line (clipboard via OSC 52, or a file)'],
  ['w', 'write the shown events to an NDJSON file'],
  ['c', 'clear the buffer'],
  ['?', 'this help'],
  ['q  Ctrl-C', 'quit'],
];

/** The help's lines: each key in the key colour, padded, then what it does. */
export function helpLines(palette: Palette): string[] {
  return KEY_HELP.map(([keys, action]) => `${palette.key(keys.padEnd(11))}${action}`);
}
