/** What the terminal on stdout allows: how wide a table may be, and whether a live view can draw. */
import type { OutputStream } from '../util/streams.js';

/** A table's width: the terminal's, or unbounded when stdout is not a terminal. */
export function terminalWidth(stream: OutputStream): number | undefined {
  return stream.isTTY === true ? stream.columns : undefined;
}

/**
 * Whether the full-screen view can run: stdout is a terminal and this is not a CI job. Ink draws
 * nothing but the last frame when `CI` is set (its is-in-ci check), so there a terminal gets the
 * line output instead of a view that stays blank.
 */
export function canDrawLiveView(
  stream: OutputStream,
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  const set = (name: string): boolean =>
    env[name] !== undefined && env[name] !== '0' && env[name] !== 'false';
  return stream.isTTY === true && !set('CI') && !set('CONTINUOUS_INTEGRATION');
}
