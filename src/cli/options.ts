/** Option parsers and options shared by several commands; each parser's error names its flag. */
import { InvalidArgumentError, Option } from 'commander';
import { resolveField, SOQL_FIELDS, suggestField } from '../soql/fields.js';
import { DURATION_SYNTAX, formatDurationMs, parseDurationMs } from '../util/duration.js';

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
      throw new InvalidArgumentError(`${flag} takes a whole number from ${min} to ${max}, got '${value}'`);
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

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Headers the HTTP client owns: a user's value would break the request, not shape it. */
const RESERVED_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'upgrade']);

/** `--header 'Name: value'` (repeatable) → `{name: value}`, the name lower-cased. */
export function parseHeaderOption(
  value: string,
  previous: Record<string, string> = {},
): Record<string, string> {
  const colon = value.indexOf(':');
  const name = colon > 0 ? value.slice(0, colon).trim() : '';
  const headerValue = colon > 0 ? value.slice(colon + 1).trim() : '';
  if (!HEADER_NAME.test(name)) {
    throw new InvalidArgumentError(`--header takes 'Name: value', got '${value.slice(0, 80)}'`);
  }
  if (/[\r\n\0]/.test(headerValue))
    throw new InvalidArgumentError(`--header ${name}: the value holds a line break`);
  if (RESERVED_HEADERS.has(name.toLowerCase())) {
    throw new InvalidArgumentError(`--header ${name}: this header is set by sotail itself`);
  }
  return { ...previous, [name.toLowerCase()]: headerValue };
}

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
      const known = `known fields: ${SOQL_FIELDS.join(', ')}, payload.<key>`;
      throw new InvalidArgumentError(
        suggestion
          ? `--fields: unknown field '${name}' — did you mean '${suggestion}'? (${known})`
          : `--fields: unknown field '${name}' (${known})`,
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
