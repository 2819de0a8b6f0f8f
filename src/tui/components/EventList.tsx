/**
 * The list of events: only the rows that fit are laid out (a window over the buffer), each cut to
 * the width and never wrapped.
 */
import { Box, Text } from 'ink';
import { fitVisible, highlightMatches } from '../ansi-text.js';
import type { TuiModel } from '../view-model.js';

export interface EventListProps {
  model: TuiModel;
  height: number;
  width: number;
}

export function EventList({ model, height, width }: EventListProps) {
  const { rows, selected } = model.window();
  const search = model.search;
  const marking = !model.following;
  if (rows.length === 0) {
    return (
      <Box height={height} flexDirection="column">
        <Text dimColor wrap="truncate-end">
          {model.received === 0 ? 'waiting for events…' : 'no buffered event passes the filters'}
        </Text>
      </Box>
    );
  }
  return (
    <Box height={height} flexDirection="column" overflow="hidden">
      {rows.map((entry, index) => {
        // The gutter marks the cursor while paused; following, the newest row is the cursor.
        const gutter = marking && index === selected ? '▶' : ' ';
        // One column is the gutter.
        let line = fitVisible(model.lineOf(entry), width - 1);
        if (search) line = highlightMatches(line, search);
        return (
          <Text key={entry.seq} wrap="truncate-end" bold={marking && index === selected}>
            {gutter}
            {line}
          </Text>
        );
      })}
    </Box>
  );
}
