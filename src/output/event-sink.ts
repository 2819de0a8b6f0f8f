/**
 * Where a stream of events goes: the formatter for the chosen mode composed with the writer.
 * The same sink serves `query`, `sessions` and the tail, so every command prints alike.
 */

import {
  type EventRecord,
  eventMessage,
  eventSeverity,
  eventSource,
  eventTime,
  pickFields,
  valueAtPath,
} from '../model/event-record.js';
import { boundedJson } from './bounded-json.js';
import type { OutputFormat } from './formats.js';
import type { Palette } from './palette.js';
import { formatPrettyEvent } from './pretty.js';
import { sanitizeForTerminal } from './sanitize.js';
import { cellText, formatTableRow, measureColumns } from './table.js';
import { formatEventTime, type TimeStyle, type TimeZoneMode } from './time-format.js';
import type { OutputWriter } from './writer.js';

export interface EventSinkOptions {
  format: OutputFormat;
  palette: Palette;
  fields?: readonly string[] | undefined;
  timeStyle?: TimeStyle;
  /** Times in pretty and table output: local (the terminal default) or UTC; UTC when not given. */
  timeZone?: TimeZoneMode | undefined;
  /** Table: leave out the header line (`--no-headers`). */
  headers?: boolean | undefined;
  /** Table: the terminal's width, which rows are cut to (undefined for a pipe: never cut). */
  maxWidth?: number | undefined;
  /** Raw: escape control characters, as on a terminal, so a message cannot drive it. */
  escapeControls?: boolean | undefined;
}

export interface EventSink {
  /** Queues one event; returns a promise only when the output is backed up (await it before reading more). */
  write(event: EventRecord): undefined | Promise<void>;
  /** Writes any closing text (`]` for json) and flushes. */
  end(): Promise<void>;
  readonly count: number;
}

export function createEventSink(writer: OutputWriter, options: EventSinkOptions): EventSink {
  switch (options.format) {
    case 'ndjson':
      return lineSink(writer, (event) => boundedJson(project(event, options.fields)) ?? '{}');
    case 'pretty': {
      // One options object for the whole output: the line formatter keeps its memos per object.
      const pretty = {
        palette: options.palette,
        timeStyle: options.timeStyle ?? 'full',
        timeZone: options.timeZone,
        fields: options.fields,
      };
      return lineSink(writer, (event) => formatPrettyEvent(event, pretty));
    }
    case 'raw':
      // The message alone, like `logcli -o raw` and stern's raw output: verbatim to a pipe.
      return lineSink(writer, (event) =>
        options.escapeControls ? sanitizeForTerminal(eventMessage(event)) : eventMessage(event),
      );
    case 'json':
      return jsonArraySink(writer, options.fields);
    case 'table':
      return tableSink(writer, options);
    default:
      throw new Error(`unknown output format: ${String(options.format satisfies never)}`);
  }
}

function project(event: EventRecord, fields: readonly string[] | undefined): EventRecord {
  return fields ? pickFields(event, fields) : event;
}

function lineSink(writer: OutputWriter, format: (event: EventRecord) => string): EventSink {
  let count = 0;
  return {
    write(event) {
      count += 1;
      return writer.write(`${format(event)}\n`);
    },
    end: () => writer.end(),
    get count() {
      return count;
    },
  };
}

function jsonArraySink(writer: OutputWriter, fields: readonly string[] | undefined): EventSink {
  let count = 0;
  return {
    write(event) {
      const text = (boundedJson(project(event, fields), 2) ?? '{}').replace(/\n/g, '\n  ');
      count += 1;
      return writer.write(`${count === 1 ? '[\n  ' : ',\n  '}${text}`);
    },
    async end() {
      writer.write(count === 0 ? '[]\n' : '\n]\n');
      await writer.end();
    },
    get count() {
      return count;
    },
  };
}

const DEFAULT_TABLE_FIELDS = ['ts', 'severity', 'source', 'message'] as const;
/** Rows held back to size the columns before the table starts streaming. */
const TABLE_SAMPLE_ROWS = 50;

function tableSink(writer: OutputWriter, options: EventSinkOptions): EventSink {
  const columns = options.fields ?? DEFAULT_TABLE_FIELDS;
  const timeFormat = { style: options.timeStyle ?? 'full', zone: options.timeZone ?? 'utc' } as const;
  const sample: string[][] = [];
  let widths: number[] | undefined;
  let count = 0;
  const cells = (event: EventRecord): string[] =>
    columns.map((column) =>
      column === 'ts' ? formatEventTime(eventTime(event), timeFormat) : cellText(tableValue(event, column)),
    );
  // The severity column in its level's colour, from the one style table, as in pretty lines.
  const severityColumn = columns.indexOf('severity');
  const paintCell = (text: string, column: number): string =>
    column === severityColumn ? options.palette.severity(text)(text) : text;
  const startTable = (): undefined | Promise<void> => {
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
    return lines.length === 0 ? undefined : writer.write(`${lines.join('\n')}\n`);
  };
  return {
    write(event) {
      count += 1;
      if (widths) return writer.write(`${formatTableRow(cells(event), widths, paintCell)}\n`);
      sample.push(cells(event));
      return sample.length >= TABLE_SAMPLE_ROWS ? startTable() : undefined;
    },
    async end() {
      if (!widths && count > 0) startTable();
      await writer.end();
    },
    get count() {
      return count;
    },
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
