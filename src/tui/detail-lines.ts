/** The detail pane's text: one event as indented JSON, hard-wrapped to the width. */
import { boundedJson } from '../output/bounded-json.js';
import { sanitizeForTerminal } from '../output/sanitize.js';
import type { BufferedEvent } from './event-view.js';

/** The event's lines as the detail pane shows them at `width` columns. */
export function detailLines(entry: BufferedEvent, width: number): string[] {
  return wrapLines(prettyJson(entry), Math.max(10, width));
}

/** The event as indented JSON, control characters escaped (JSON leaves C1 characters raw). */
export function prettyJson(entry: BufferedEvent): string[] {
  const text = boundedJson(entry.event, 2) ?? entry.raw ?? '(this event cannot be shown as JSON)';
  return text.split('\n').map(sanitizeForTerminal);
}

/** Hard-wraps each line at `width` code points, so the pane's height is known before layout. */
export function wrapLines(lines: readonly string[], width: number): string[] {
  const out: string[] = [];
  for (const line of lines) {
    const chars = Array.from(line);
    if (chars.length <= width) {
      out.push(line);
      continue;
    }
    for (let at = 0; at < chars.length; at += width) out.push(chars.slice(at, at + width).join(''));
  }
  return out;
}
