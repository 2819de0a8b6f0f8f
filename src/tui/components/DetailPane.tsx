/** One event in full, as pretty JSON, scrolled by the model and wrapped to the width. */
import { Box, Text } from 'ink';
import { detailLines } from '../detail-lines.js';
import type { BufferedEvent } from '../event-view.js';

export interface DetailPaneProps {
  entry: BufferedEvent;
  scroll: number;
  height: number;
  width: number;
}

export function DetailPane({ entry, scroll, height, width }: DetailPaneProps) {
  const lines = detailLines(entry, width);
  const bodyRows = Math.max(1, height - 1);
  const top = Math.min(scroll, Math.max(0, lines.length - bodyRows));
  const shown = lines.slice(top, top + bodyRows);
  return (
    <Box height={height} flexDirection="column" overflow="hidden">
      <Text inverse wrap="truncate-end">
        {` event ${top + 1}–${top + shown.length} of ${lines.length} lines · j/k PgUp/PgDn scroll · y copy · enter/esc close `}
      </Text>
      {shown.map((line, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the rows of a fixed window, not reordered items
        <Text key={index} wrap="truncate-end">
          {line}
        </Text>
      ))}
    </Box>
  );
}
