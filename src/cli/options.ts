/** Option parsers and options shared by several commands; each parser's error names its flag. */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { UsageError } from '../errors.js';
import {
  formatArguments,
  formatTakesFields,
  OUTPUT_FORMATS,
  type OutputChoice,
  type OutputFormat,
  parseOutputChoice,
} from '../output/event-output.js';
import { compileHighlighter, type Highlighter } from '../output/highlight.js';
import { FIELD_ALIASES, resolveField, SOQL_FIELDS, suggestField } from '../soql/fields.js';
import { DURATION_SYNTAX, formatDurationMs, parseDurationMs } from '../util/duration.js';
import { looksLikeTime } from '../util/rfc3339.js';
import { readTimeSpec } from '../util/time-spec.js';
import { wholeNumberRange } from '../util/words.js';

/** Longest delay a Node timer can wait: a longer one fires at once (TimeoutOverflowWarning). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A whole number from `min` to `max` (digits only: no sign, no exponent, no fraction). */
export function parseWholeNumber(
  flag: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${flag} takes ${wholeNumberRange(min, max)}, got '${value}'`);
    }
    return n;
  };
}

/** A whole number from 1 to `max`. */
export function parsePositiveInt(flag: string, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return parseWholeNumber(flag, 1, max);
}

/**
 * A positive duration in the one grammar of util/duration.ts. `max` defaults to what a timer can
 * wait, since most duration flags arm one (a `--timeout 30d` must not fire at once).
 */
export function parseDurationOption(flag: string, max = MAX_TIMER_MS): (value: string) => number {
  return (value) => {
    const ms = parseDurationMs(value);
    if (ms === undefined || ms <= 0) {
      throw new InvalidArgumentError(`${flag} takes ${DURATION_SYNTAX}, got '${value}'`);
    }
    if (ms > max) {
      throw new InvalidArgumentError(`${flag} can be at most ${formatDurationMs(max)}, got '${value}'`);
    }
    return ms;
  };
}

/** `severity (or level)`, … `payload.<key> (or meta.<key>)`: every name --fields takes. */
const KNOWN_FIELDS = SOQL_FIELDS.map((field) => {
  const aliases = Object.entries(FIELD_ALIASES)
    .filter(([, canonical]) => canonical === field)
    .map(([alias]) => (field === 'payload' ? `${alias}.<key>` : alias));
  const name = field === 'payload' ? 'payload.<key>' : field;
  return aliases.length > 0 ? `${name} (or ${aliases.join(', ')})` : name;
}).join(', ');

/**
 * `--fields level,msg,meta.user` → ['severity','message','payload.user']: the names SOQL reads,
 * aliases included, made canonical so the output carries the wire names. Commas and spaces both
 * separate; repeats accumulate once. An unknown name is a usage error with a suggestion.
 */
export function parseFieldList(value: string, previous: string[] = []): string[] {
  const written = value
    .split(/[,\s]+/)
    .map((field) => field.trim())
    .filter(Boolean);
  if (written.length === 0) throw new InvalidArgumentError('--fields needs at least one field name');
  const fields = [...previous];
  for (const name of written) {
    const resolved = resolveField(name);
    if ('field' in resolved) {
      if (!fields.includes(resolved.field)) fields.push(resolved.field);
      continue;
    }
    if (resolved.problem === 'unknown') {
      const suggestion = suggestField(resolved.head);
      const known = `known fields: ${KNOWN_FIELDS}`;
      // The advice goes on a line of its own: it becomes the error's hint (program.ts).
      throw new InvalidArgumentError(
        `--fields: unknown field '${name}'\nhint: ${suggestion ? `did you mean '${suggestion}'? ${known}` : known}`,
      );
    }
    throw new InvalidArgumentError(
      resolved.problem === 'no-path'
        ? `--fields: '${resolved.head}' has no fields inside it; only payload.<key> takes a path`
        : `--fields: '${name}' has an empty key`,
    );
  }
  return fields;
}

/**
 * `-o, --output` for commands that print records: the same flag, choices and wording everywhere
 * (a table on a terminal, NDJSON to a pipe).
 */
export function recordOutputOption(formats: readonly string[]): Option {
  return new Option(
    '-o, --output <format>',
    'output format (default: table on a terminal, ndjson otherwise)',
  ).choices(formats);
}

/**
 * `-o, --output` for commands that print events (`tail`, `query`, `sessions resume`), and
 * `--NAME TEXT` for each mode that takes text (`--template`): all from the one list of modes
 * (output/event-output.ts), which `--help` and the completions show.
 */
export function withEventOutputOptions(command: Command): Command {
  command.addOption(
    new Option('-o, --output <format>', 'output format (default: pretty on a terminal, ndjson otherwise)')
      .choices(OUTPUT_FORMATS)
      .argParser((value: string): OutputChoice => {
        const choice = parseOutputChoice(value);
        if ('problem' in choice) throw new InvalidArgumentError(choice.problem);
        return choice;
      }),
  );
  for (const { format, description } of formatArguments()) {
    command.addOption(new Option(`--${format} <text>`, `${description} (the same as -o ${format}=TEXT)`));
  }
  command.addOption(
    new Option(
      '--highlight <regex>',
      'mark matches of this RE2 regex in lines for people, when they have colour (repeatable)',
    )
      .argParser((value: string, previous: string[] = []) => [...previous, value])
      .default(undefined),
  );
  return command;
}

/** `--highlight` patterns compiled into one highlighter, or a usage error naming the bad one. */
export function readHighlighter(patterns: readonly string[] | undefined): Highlighter | undefined {
  if (patterns === undefined || patterns.length === 0) return undefined;
  const result = compileHighlighter(patterns);
  if ('error' in result) throw new UsageError(`--highlight '${result.pattern}': ${result.error}`);
  return result;
}

/** The longest text a mode reads from `@FILE`. */
const MAX_ARGUMENT_FILE_BYTES = 64 * 1024;

/**
 * The mode chosen with `-o` or `--NAME TEXT` (undefined: the default), its text read from the
 * file when it starts with `@` (`@@` is a literal `@`).
 */
export async function readOutputChoice(flags: {
  output?: OutputChoice | undefined;
}): Promise<OutputChoice | undefined> {
  const given = flags as Record<string, unknown>;
  let choice = flags.output;
  for (const { format } of formatArguments()) {
    const text = given[format];
    if (typeof text !== 'string') continue;
    if (choice !== undefined && choice.format !== format) {
      throw new UsageError(`--${format} and -o ${choice.format} choose different outputs: give one`);
    }
    choice = { format, argument: text };
  }
  if (choice?.argument === undefined || !choice.argument.startsWith('@')) return choice;
  if (choice.argument.startsWith('@@')) return { ...choice, argument: choice.argument.slice(1) };
  return { ...choice, argument: await readArgumentFile(choice.format, choice.argument.slice(1)) };
}

async function readArgumentFile(format: string, path: string): Promise<string> {
  const { readFile, stat } = await import('node:fs/promises');
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UsageError(`--${format} @${path}: not a file`);
    if (info.size > MAX_ARGUMENT_FILE_BYTES) {
      throw new UsageError(`--${format} @${path}: larger than ${MAX_ARGUMENT_FILE_BYTES / 1024} KiB`);
    }
    return await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `--${format} @${path}: cannot read it (${code === 'ENOENT' ? 'no such file' : (code ?? String(error))})`,
    );
  }
}

/** A usage error when `--fields` was given to a mode that shows no fields (`-o raw`). */
export function checkFieldsFit(format: OutputFormat, fields: readonly string[] | undefined): void {
  if (fields !== undefined && !formatTakesFields(format)) {
    throw new UsageError(`--fields cannot be used with -o ${format}, which prints the message alone`);
  }
}

/** `-q, --quiet` for commands that print notices on stderr: data and errors still show. */
export function quietOption(): Option {
  return new Option('-q, --quiet', 'no notices on stderr (data and errors still show)');
}

/** `--timeout` for every command that talks to the service (exit 124 when it runs out). */
export function timeoutOption(): Option {
  return new Option('--timeout <duration>', 'give up after this long (exit 124)').argParser(
    parseDurationOption('--timeout'),
  );
}

/** What `--since` names: the instant a window opens, and the window in the user's words. */
export interface Since {
  /** RFC 3339 (UTC). */
  from: string;
  /** `in the last 1h`, `since 2026-05-17T10:00Z`: for "no events matched … in the last 1h". */
  window: string;
}

/** `--since` in every command's help: one wording for the one rule. */
export const SINCE_HELP = 'since then: a duration back from now (15m, 1h30m, 7d) or an RFC 3339 time';

/**
 * `--since`, the same on every command: a duration back from now (`15m`, `1h30m`; a bare number is
 * seconds) or a time, read as `--from` reads it (RFC 3339, seconds optional, UTC unless an offset
 * is given). A zero duration is refused: it would open an empty window.
 */
export function readSince(value: string, now: Date): Since {
  const text = value.trim();
  const ms = parseDurationMs(text);
  if (ms === 0) throw new UsageError(`--since takes a duration longer than 0, got '${value}'`);
  const result = readTimeSpec(text, now);
  if ('iso' in result) {
    // A bare number is seconds: say so, `in the last 100` would leave the unit to guess.
    const window =
      ms === undefined ? `since ${text}` : `in the last ${/^[\d.]+$/.test(text) ? `${text}s` : text}`;
    return { from: result.iso, window };
  }
  if (looksLikeTime(text)) throw new UsageError(`--since: ${result.problem}`);
  if (text.startsWith('-')) {
    throw new UsageError(`--since counts back from now, so it cannot be negative: got '${value}'`);
  }
  throw new UsageError(
    `--since takes ${DURATION_SYNTAX} or an RFC 3339 time (2026-05-17T10:00:00Z), got '${value}'`,
  );
}

/** A session id as the API mints them (docs/api.md "Tail sessions"): `ses_` and 16 hex digits. */
const SESSION_ID = /^ses_[0-9a-f]{16}$/;

/**
 * A session id (`--session`, the `<id>` of `sessions show|resume|close`), checked before any
 * request: a typo is a usage error, not a round trip that ends in "not found".
 */
export function parseSessionId(flag: string): (value: string) => string {
  return (value) => {
    const id = value.trim();
    if (SESSION_ID.test(id)) return id;
    throw new InvalidArgumentError(
      `${flag} takes a session id such as ses_3f9a0c1d2e4b5a69 (ses_ and 16 hex digits), got '${value}'\nhint: \`sotail sessions list\` shows the ids of your sessions`,
    );
  };
}
