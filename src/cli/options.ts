/** Option parsers and options shared by several commands; each parser's error names its flag. */
import { InvalidArgumentError, Option } from 'commander';
import { parseDurationMs } from '../util/duration.js';

/** A whole number from `min` to `max` (digits only: no sign, no exponent, no fraction). */
export function parseWholeNumber(
  flag: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${flag} takes a whole number from ${min} to ${max}, got '${value}'`);
    }
    return n;
  };
}

/** A whole number from 1 to `max`. */
export function parsePositiveInt(flag: string, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return parseWholeNumber(flag, 1, max);
}

export function parseDurationOption(flag: string): (value: string) => number {
  return (value) => {
    const ms = parseDurationMs(value, 's');
    if (ms === undefined || ms <= 0) {
      throw new InvalidArgumentError(`${flag} takes a duration such as 30s, 5m or 2h, got '${value}'`);
    }
    return ms;
  };
}

/** `a,b,payload.x` → ['a','b','payload.x'] (commas and spaces both separate; repeats accumulate). */
export function parseFieldList(value: string, previous: string[] = []): string[] {
  const fields = value
    .split(/[,\s]+/)
    .map((field) => field.trim())
    .filter(Boolean);
  if (fields.length === 0) throw new InvalidArgumentError('--fields needs at least one field name');
  return [...previous, ...fields];
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
