/** `-o pretty`: one readable, coloured line per event (output/pretty.ts). */
import type { EventFormatter, FormatOptions } from './event-format.js';
import { formatPrettyEvent, type PrettyOptions } from './pretty.js';

export function createFormatter(options: FormatOptions): EventFormatter {
  // One options object for the whole output: the line formatter keeps its memos per object.
  const pretty: PrettyOptions = {
    palette: options.palette,
    timeStyle: options.timeStyle,
    timeZone: options.timeZone,
    fields: options.fields,
  };
  return {
    format(events) {
      let text = '';
      for (const item of events) text += `${formatPrettyEvent(item.event, pretty)}\n`;
      return text;
    },
  };
}
