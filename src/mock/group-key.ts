/**
 * GROUP BY keys of a bounded size. A key is kept per group, and its JSON names the group; a
 * 250 KB value grouped over thousands of events would otherwise be held thousands of times (four
 * such queries over 3,000 events peaked at 4.4 GB). A value longer than MAX_GROUP_KEY_CHARS (a
 * string, or an object or array as JSON) is shown cut to that length with `…`, and its group is
 * named by a digest of the whole value, so that different long values stay different groups
 * (docs/api.md "Query").
 */
import { createHash } from 'node:crypto';
import type { LogEvent } from '../model/event.js';
import { fieldValue } from '../soql/index.js';

/** The longest key value shown whole, in UTF-16 code units. */
export const MAX_GROUP_KEY_CHARS = 256;

export interface GroupKey {
  /** Names the group: the key as JSON, long values replaced by their digest. */
  id: string;
  /** The key as shown: `{field: value}`, null for a missing value, long values cut. */
  key: Record<string, unknown>;
  /** Fields whose value was cut, if any. */
  truncated: string[] | undefined;
}

/** The GROUP BY key of an event over `fields`. */
export function groupKeyOf(event: LogEvent, fields: readonly string[]): GroupKey {
  const key: Record<string, unknown> = {};
  const named: unknown[] = [];
  let truncated: string[] | undefined;
  for (const field of fields) {
    const value = fieldValue(event as unknown as Record<string, unknown>, field) ?? null;
    const text =
      typeof value === 'string'
        ? value
        : typeof value === 'object' && value !== null
          ? JSON.stringify(value)
          : '';
    if (text.length <= MAX_GROUP_KEY_CHARS) {
      key[field] = value;
      named.push(value);
      continue;
    }
    const shown = `${text.slice(0, MAX_GROUP_KEY_CHARS)}…`;
    key[field] = shown;
    // The shown text first, so that ties between groups still order by what a reader sees.
    named.push([shown, createHash('sha256').update(text).digest('base64url')]);
    truncated = [...(truncated ?? []), field];
  }
  return { id: JSON.stringify(named), key, truncated };
}
