/**
 * `-o pretty`: one readable, coloured line per event (output/pretty.ts); in a merged tail, each
 * line starts with its stream's name, in a column as wide as the longest name.
 */
import { STREAM_FIELD } from '../tail/items.js';
import type { EventFormatter, FormatOptions, OutputEvent } from './event-format.js';
import { formatPrettyEvent, type PrettyOptions } from './pretty.js';

export function createFormatter(options: FormatOptions): EventFormatter {
  // One options object for the whole output: the line formatter keeps its memos per object.
  const pretty: PrettyOptions = {
    palette: options.palette,
    timeStyle: options.timeStyle,
    timeZone: options.timeZone,
    fields: options.fields,
  };
  let labelWidth = Math.max(0, ...(options.streams ?? []).map((name) => name.length));
  const label = (item: OutputEvent): string => {
    const name = item.stream ?? '';
    labelWidth = Math.max(labelWidth, name.length);
    return `${options.palette.key(name.padEnd(labelWidth))} `;
  };
  return {
    format(events) {
      let text = '';
      for (const item of events) {
        if (item.stream === undefined) text += `${formatPrettyEvent(item.event, pretty)}\n`;
        else {
          // The name is in the column: not again among the other fields.
          const { [STREAM_FIELD]: _label, ...event } = item.event;
          text += `${label(item)}${formatPrettyEvent(event, pretty)}\n`;
        }
      }
      return text;
    },
  };
}
