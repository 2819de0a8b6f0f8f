/** How wide a table may be: the terminal's width, or unbounded when stdout is not a terminal. */
import type { OutputStream } from '../util/streams.js';

export function terminalWidth(stream: OutputStream): number | undefined {
  return stream.isTTY === true ? stream.columns : undefined;
}
