/**
 * Limits on what an event may hold, shared by the service (the mock) and the CLI so that both
 * refuse the same input before anything is stored or sent (docs/api.md "Limits"). Deeply nested
 * JSON is valid JSON, and `JSON.parse` accepts it, but every later recursive walk — serialising,
 * filtering, writing a data file or a dead letter — would overflow the stack far from the input.
 */

/** Deepest nesting of objects and arrays inside an event's `meta`/`payload` (the top object is depth 1). */
export const MAX_PAYLOAD_DEPTH = 32;

/**
 * The path of the first value nested deeper than `maxDepth` (as `a.b.0.c`), or undefined when the
 * value is within bounds. Iterative, so it is safe on input of any depth.
 */
export function findTooDeep(value: unknown, maxDepth: number = MAX_PAYLOAD_DEPTH): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const stack: { node: object; depth: number; path: string }[] = [{ node: value, depth: 1, path: '' }];
  while (stack.length > 0) {
    const { node, depth, path } = stack.pop()!;
    if (depth > maxDepth) return path;
    for (const [key, child] of Object.entries(node)) {
      if (child !== null && typeof child === 'object') {
        stack.push({ node: child, depth: depth + 1, path: path === '' ? key : `${path}.${key}` });
      }
    }
  }
  return undefined;
}

/** Longest `message`, in UTF-16 code units (a JavaScript string's length): a long stack trace fits. */
export const MAX_MESSAGE_CHARS = 65_536;

/** Largest `meta`/`payload`, measured as compact JSON in UTF-8 bytes. */
export const MAX_PAYLOAD_BYTES = 256 * 1024;
