/** The keys, listed by `?`. */
import { Box, Text } from 'ink';

/** Key, then what it does; also the README's table. */
export const KEY_HELP: ReadonlyArray<readonly [string, string]> = [
  ['space', 'pause / follow (events keep arriving while paused: "+N new")'],
  ['j k ↑ ↓', 'move the cursor (pauses); down past the newest follows again'],
  ['PgUp PgDn', 'a page up or down'],
  ['g G', 'oldest buffered event / newest, following'],
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

export function HelpPane({ height }: { height: number }) {
  return (
    <Box height={height} flexDirection="column" overflow="hidden">
      <Text bold wrap="truncate-end">
        Keys (any key closes this help)
      </Text>
      {KEY_HELP.slice(0, Math.max(0, height - 1)).map(([keys, action]) => (
        <Text key={keys} wrap="truncate-end">
          <Text color="cyan">{keys.padEnd(11)}</Text>
          {action}
        </Text>
      ))}
    </Box>
  );
}
