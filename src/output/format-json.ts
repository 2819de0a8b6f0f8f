/**
 * `-o json`: one indented JSON array of the events, closed when the stream ends (a tail's with
 * `--count`, `--timeout` or Ctrl-C), so that the whole output is one document.
 */
import { pickFields } from '../model/event-record.js';
import { boundedJson } from './bounded-json.js';
import type { EventFormatter, FormatOptions } from './event-format.js';

export function createFormatter(options: FormatOptions): EventFormatter {
  const { fields } = options;
  let count = 0;
  return {
    format(events) {
      let text = '';
      for (const { event } of events) {
        const json = boundedJson(fields ? pickFields(event, fields) : event, 2) ?? '{}';
        text += `${count === 0 ? '[\n  ' : ',\n  '}${json.replace(/\n/g, '\n  ')}`;
        count += 1;
      }
      return text;
    },
    end: () => (count === 0 ? '[]\n' : '\n]\n'),
  };
}
