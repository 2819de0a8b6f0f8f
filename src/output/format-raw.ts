/**
 * `-o raw`: the message alone, one per line, like `logcli -o raw` and stern's raw output: verbatim
 * to a pipe, with control characters escaped on a terminal so that a message cannot drive it.
 */
import { eventMessage } from '../model/event-record.js';
import type { EventFormatter, FormatOptions } from './event-format.js';
import { sanitizeForTerminal } from './sanitize.js';

export function createFormatter(options: FormatOptions): EventFormatter {
  const shown = options.terminal ? sanitizeForTerminal : (text: string) => text;
  return {
    format(events) {
      let text = '';
      for (const item of events) text += `${shown(eventMessage(item.event))}\n`;
      return text;
    },
  };
}
