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

/** `a,b,payload.x` → ['a','b','payload.x'] (commas and spaces both separate; repeats accumulate). */
export function parseFieldList(value: string, previous: string[] = []): string[] {
  const fields = value
    .split(/[,\s]+/)
    .map((field) => field.trim())
    .filter(Boolean);
  if (fields.length === 0) throw new InvalidArgumentError('--fields needs at least one field name');
  return [...previous, ...fields];
}
