/**
 * JSON.stringify for values that came from outside (a stream's events). JSON.stringify recurses,
 * and a value nested some thousands deep overflows the call stack: one hostile event would end
 * the whole output. Here such a value is written with its parts below MAX_DEPTH replaced by the
 * string TOO_DEEP (docs/tail.md). The service itself refuses events nested deeper than 32
 * levels, so only other streams (`tail --url`) and servers that break the contract ever meet the
 * marker. Every output of service data serialises through here.
 */

export const TOO_DEEP = '[nested too deep]';
const MAX_DEPTH = 256;

/**
 * `JSON.stringify(value, null, indent)`, with anything nested deeper than MAX_DEPTH written as
 * TOO_DEEP.
 */
export function boundedJson(value: unknown, indent?: number): string | undefined {
  try {
    return JSON.stringify(value, null, indent);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const compact = bounded(value, 0);
    // Now nested MAX_DEPTH deep at most, it can be laid out again with the indent asked for.
    return indent === undefined || compact === undefined
      ? compact
      : JSON.stringify(JSON.parse(compact), null, indent);
  }
}

/** Values here come from JSON.parse: objects, arrays, strings, finite numbers, booleans, null. */
function bounded(value: unknown, depth: number): string | undefined {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (depth >= MAX_DEPTH) return JSON.stringify(TOO_DEEP);
  if (Array.isArray(value)) {
    return `[${value.map((item) => bounded(item, depth + 1) ?? 'null').join(',')}]`;
  }
  const members: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    const text = bounded(item, depth + 1);
    if (text !== undefined) members.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${members.join(',')}}`;
}
