/**
 * `-o table`: aligned columns (default ts, severity, source, message; `--fields` chooses), fitted
 * to the terminal's width. The first rows are held back to size the columns: up to
 * TABLE_SAMPLE_ROWS of them, or fewer when an endless stream asks for what it has (`flush`), so a
 * live tail's table starts with its first batch.
 */
import {
  type EventRecord,
  eventMessage,
  eventSeverity,
  eventSource,
  eventTime,
  valueAtPath,
} from '../model/event-record.js';
import type { EventFormatter, FormatOptions } from './event-format.js';
import { cellText, formatTableRow, measureColumns } from './table.js';
import { formatEventTime } from './time-format.js';

const DEFAULT_TABLE_FIELDS = ['ts', 'severity', 'source', 'message'] as const;
/** Rows held back to size the columns before the table starts streaming. */
const TABLE_SAMPLE_ROWS = 50;

export function createFormatter(options: FormatOptions): EventFormatter {
  const columns = options.fields ?? DEFAULT_TABLE_FIELDS;
  const timeFormat = { style: options.timeStyle, zone: options.timeZone } as const;
  const sample: string[][] = [];
  let widths: number[] | undefined;
  const cells = (event: EventRecord): string[] =>
    columns.map((column) =>
      column === 'ts' ? formatEventTime(eventTime(event), timeFormat) : cellText(tableValue(event, column)),
    );
  // The severity column in its level's colour, from the one style table, as in pretty lines.
  const severityColumn = columns.indexOf('severity');
  const paintCell = (text: string, column: number): string =>
    column === severityColumn ? options.palette.severity(text)(text) : text;
  /** The header and the rows held back, with the widths they set for every later row. */
  const startTable = (): string => {
    // Without a header line, the titles take no room.
    const titles = options.headers === false ? columns.map(() => '') : columns;
    const measured = measureColumns(titles, sample, undefined, options.maxWidth);
    // To a pipe the last column is never cut: it gets every character.
    const rowWidths = options.maxWidth === undefined ? measured.slice(0, -1) : measured;
    widths = rowWidths;
    const header = options.palette.bold(
      formatTableRow(
        columns.map((c) => c.toUpperCase()),
        rowWidths,
      ),
    );
    const rows = sample.map((row) => formatTableRow(row, rowWidths, paintCell));
    const lines = options.headers === false ? rows : [header, ...rows];
    sample.length = 0;
    return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
  };
  return {
    format(events) {
      let text = '';
      for (const { event } of events) {
        if (widths) text += `${formatTableRow(cells(event), widths, paintCell)}\n`;
        else {
          sample.push(cells(event));
          if (sample.length >= TABLE_SAMPLE_ROWS) text += startTable();
        }
      }
      return text;
    },
    flush: () => (!widths && sample.length > 0 ? startTable() : ''),
    end: () => (!widths && sample.length > 0 ? startTable() : ''),
  };
}

/** Table columns read the common names across stream shapes, like the pretty view. */
function tableValue(event: EventRecord, column: string): unknown {
  switch (column) {
    case 'severity':
      return eventSeverity(event);
    case 'source':
      return eventSource(event);
    case 'message':
      return eventMessage(event);
    default:
      return valueAtPath(event, column);
  }
}
