/** Option parsers shared by several commands; each throws UsageError naming the flag. */
import { InvalidArgumentError } from 'commander';
import { parseDurationMs } from '../util/duration.js';

export function parsePositiveInt(flag: string, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1 || n > max) {
      throw new InvalidArgumentError(`${flag} takes a whole number from 1 to ${max}, got '${value}'`);
    }
    return n;
  };
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

/** `a,b,payload.x` → ['a','b','payload.x'] (commas and spaces both separate; repeats accumulate). */
export function parseFieldList(value: string, previous: string[] = []): string[] {
  const fields = value
    .split(/[,\s]+/)
    .map((field) => field.trim())
    .filter(Boolean);
  if (fields.length === 0) throw new InvalidArgumentError('--fields needs at least one field name');
  return [...previous, ...fields];
}
