/**
 * Where events go, for every stream alike: endless (a tail) or finite (a query), like logcli's
 * `LogOutput`. Each output mode is one formatter module (`format-*.ts`), chosen here by name: the
 * list below is the only place that names the modes, so commands take their `-o` choices from it,
 * their `--help` and the shell completions from those choices, and adding a mode means adding its
 * formatter file and one entry here. A formatter turns a batch of events into text (or bytes);
 * the EventOutput writes each batch as it comes, with back-pressure (output/writer.ts), so a live
 * tail never waits for an end it never reaches.
 *
 * Each formatter module is loaded only when its mode is used: start-up stays light (the table's
 * text measurement is never loaded by `--help` or a tail).
 */
import type { EventFormatter, FormatModule, FormatOptions, OutputEvent } from './event-format.js';
import { type Highlighter, highlightLine } from './highlight.js';
import type { OutputWriter } from './writer.js';

export type { EventFormatter, FormatOptions, OutputEvent } from './event-format.js';

interface FormatEntry {
  /** Whether `--fields` chooses what it shows (raw prints the message alone). */
  readonly fields: boolean;
  /** Text for people, where `--highlight` marks matches (not NDJSON or JSON, which programs read). */
  readonly forPeople: boolean;
  /**
   * For a mode that takes text (`-o NAME=TEXT`, or `--NAME TEXT`, `@FILE` to read it from a
   * file): what the text is, for `--help`.
   */
  readonly argument?: string;
  load(): Promise<FormatModule>;
}

/** Every output mode, in the order `--help` and the completions list them. */
const FORMATS = {
  pretty: { fields: true, forPeople: true, load: () => import('./format-pretty.js') },
  ndjson: { fields: true, forPeople: false, load: () => import('./format-ndjson.js') },
  json: { fields: true, forPeople: false, load: () => import('./format-json.js') },
  table: { fields: true, forPeople: true, load: () => import('./format-table.js') },
  raw: { fields: false, forPeople: true, load: () => import('./format-raw.js') },
  template: {
    fields: false,
    forPeople: true,
    argument:
      "each event as this text, e.g. '{{ts}} {{severity}} {{source}}: {{message}} {{payload.order_id}}'",
    load: () => import('./format-template.js'),
  },
} as const satisfies Record<string, FormatEntry>;

export type OutputFormat = keyof typeof FORMATS;
export const OUTPUT_FORMATS = Object.keys(FORMATS) as readonly OutputFormat[];

/** The default follows the terminal: readable lines for people, NDJSON for pipes. */
export function defaultFormat(requested: OutputFormat | undefined, isTTY: boolean): OutputFormat {
  return requested ?? (isTTY ? 'pretty' : 'ndjson');
}

/** A mode as chosen on the command line, with its text when it takes one. */
export interface OutputChoice {
  format: OutputFormat;
  argument?: string | undefined;
}

/** The modes that take text, and what it is: each gets a `--NAME TEXT` option too. */
export function formatArguments(): { format: OutputFormat; description: string }[] {
  return OUTPUT_FORMATS.flatMap((format) => {
    const entry: FormatEntry = FORMATS[format];
    return entry.argument === undefined ? [] : [{ format, description: entry.argument }];
  });
}

/** `-o NAME` or `-o NAME=TEXT` read as a choice, or what is wrong with it. */
export function parseOutputChoice(text: string): OutputChoice | { problem: string } {
  const equals = text.indexOf('=');
  const name = equals === -1 ? text : text.slice(0, equals);
  if (!(OUTPUT_FORMATS as readonly string[]).includes(name)) {
    return { problem: `'${name}' is not an output format: ${OUTPUT_FORMATS.join(', ')}` };
  }
  const format = name as OutputFormat;
  const entry: FormatEntry = FORMATS[format];
  if (entry.argument === undefined) {
    return equals === -1 ? { format } : { problem: `-o ${format} takes nothing after '='` };
  }
  if (equals === -1) {
    return {
      problem: `-o ${format} needs its text: -o ${format}=TEXT or --${format} TEXT (${entry.argument})`,
    };
  }
  return { format, argument: text.slice(equals + 1) };
}

/** Whether a mode shows only what `--fields` names (false: it has no use for `--fields`). */
export function formatTakesFields(format: OutputFormat): boolean {
  return FORMATS[format].fields;
}

/**
 * The formatter of a mode, made for one run. Load it before connecting: it checks its options.
 * With `highlight`, a mode for people marks its matches in every line it writes, when the output
 * has colour (as grep's `--color=auto`).
 */
export async function loadFormatter(
  format: OutputFormat,
  options: FormatOptions & { highlight?: Highlighter | undefined },
): Promise<EventFormatter> {
  const entry: FormatEntry | undefined = FORMATS[format];
  if (entry === undefined) throw new Error(`unknown output format: ${String(format)}`);
  const formatter = await (await entry.load()).createFormatter(options);
  const { highlight } = options;
  if (highlight === undefined || !entry.forPeople || options.palette.level === 0) return formatter;
  return highlighted(formatter, highlight);
}

/** A formatter whose text has the highlighter's matches marked, line by line. */
function highlighted(formatter: EventFormatter, highlighter: Highlighter): EventFormatter {
  const mark = (text: string): string =>
    text === ''
      ? text
      : text
          .split('\n')
          .map((line) => highlightLine(line, highlighter))
          .join('\n');
  return {
    format: (events) => {
      const out = formatter.format(events);
      return typeof out === 'string' ? mark(out) : out;
    },
    flush: formatter.flush && (() => mark(formatter.flush!())),
    end: formatter.end && (() => mark(formatter.end!())),
  };
}

export interface EventOutput {
  /** Writes a batch; returns a promise only when the output is backed up (await it before reading more). */
  write(events: readonly OutputEvent[]): undefined | Promise<void>;
  /** Sends everything written so far, held-back rows included: a live tail calls it after each batch. */
  flush(): Promise<void>;
  /** Writes what ends the output and waits until it is handed to the OS. */
  end(): Promise<void>;
}

/** A formatter composed with a writer: the one output every event stream goes through. */
export function createEventOutput(writer: OutputWriter, formatter: EventFormatter): EventOutput {
  let ended = false;
  return {
    write: (events) => (events.length === 0 ? undefined : writer.write(formatter.format(events))),
    flush() {
      const held = formatter.flush?.();
      if (held) writer.write(held);
      return writer.flush();
    },
    async end() {
      if (!ended) {
        ended = true;
        const closing = formatter.end?.();
        if (closing) writer.write(closing);
      }
      await writer.end();
    },
  };
}

/**
 * An output that holds what it is given and hands it on in reverse order when it ends: the newest
 * N events, fetched newest first, printed oldest first (`query --tail N`). It holds N events, the
 * number the user asked for, and nothing reaches the output before the last page came.
 */
export function reversedOutput(output: EventOutput): EventOutput {
  const held: OutputEvent[] = [];
  return {
    write(events) {
      for (const event of events) held.push(event);
      return undefined;
    },
    flush: () => Promise.resolve(),
    async end() {
      held.reverse();
      const backpressure = held.length > 0 ? output.write(held) : undefined;
      held.length = 0;
      if (backpressure) await backpressure;
      await output.end();
    },
  };
}
