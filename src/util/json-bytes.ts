/**
 * Checks that a range of bytes is one JSON object (RFC 8259) without building it, and notes where
 * its top-level `event_id` string is. The live tail passes each event through as the bytes that
 * arrived, yet every line it writes must still be valid JSON: this is the cheap half of that
 * promise (docs/performance.md, "Reading bytes is not the cost, validating them is").
 *
 * Hand-written branches rather than a table-driven automaton: a table makes each byte wait for
 * the lookup of the one before, and was three times slower here; string contents, most of an
 * event's bytes, are skipped by a loop whose steps do not depend on each other. Iterative, with a
 * stack of its own, so a value nested any depth cannot overflow the call stack. Bytes from 0x80 up
 * are accepted inside strings: the caller must know the range is valid UTF-8 (one `isUtf8` over a
 * whole chunk).
 */

/** Not valid JSON. */
export const NOT_JSON = -1;
/** Does not start with `{`: not an object, and not checked further (JSON.parse can say the rest). */
export const NOT_OBJECT = 0;
export const JSON_OBJECT = 1;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;

/** Bytes that end a run of plain string content: the quote, a backslash, control characters. */
const STRING_STOP = new Uint8Array(256);
for (let c = 0; c < 0x20; c += 1) STRING_STOP[c] = 1;
STRING_STOP[QUOTE] = 1;
STRING_STOP[BACKSLASH] = 1;

/** JSON whitespace: space, tab, LF, CR. */
const WHITESPACE = new Uint8Array(256);
for (const c of [0x20, 0x09, 0x0a, 0x0d]) WHITESPACE[c] = 1;

/** What the stack holds for each open container. */
const IN_OBJECT = 0;
const IN_ARRAY = 1;

/** `event_id`, the key the tail dedupes by. */
const EVENT_ID = [0x65, 0x76, 0x65, 0x6e, 0x74, 0x5f, 0x69, 0x64];
const TRUE = [0x74, 0x72, 0x75, 0x65];
const FALSE = [0x66, 0x61, 0x6c, 0x73, 0x65];
const NULL = [0x6e, 0x75, 0x6c, 0x6c];

/** One scanner per reader: it keeps its stack and its findings between calls, allocating nothing. */
export class JsonByteScanner {
  /**
   * After a scan that found an object: where the contents of its top-level `event_id` string are
   * (between the quotes), or -1 when it has none (or one that is not a string).
   */
  idStart = -1;
  idEnd = -1;
  /**
   * The top-level keys or the `event_id` value used escapes, so the range above cannot be read
   * as it stands: parse the text to know the id.
   */
  idNeedsParse = false;
  #stack: Uint8Array = new Uint8Array(64);

  /** What `bytes[start, end)` holds: NOT_JSON, NOT_OBJECT or JSON_OBJECT (whitespace around it allowed). */
  scan(bytes: Uint8Array, start: number, end: number): number {
    let idStart = -1;
    let idEnd = -1;
    let idNeedsParse = false;
    let i = skipWhitespace(bytes, start, end);
    if (i >= end) return NOT_JSON;
    if (bytes[i] !== OPEN_OBJECT) return NOT_OBJECT;
    let stack = this.#stack;
    let depth = 0;
    /** A key comes first (after `{` or a `,` in an object). */
    let needKey = false;
    /** The value about to be read is that of the top-level key `event_id`. */
    let atEventId = false;
    for (;;) {
      if (needKey) {
        needKey = false;
        if (i >= end || bytes[i] !== QUOTE) return NOT_JSON;
        const keyStart = i + 1;
        i = keyStart;
        while (i < end && STRING_STOP[bytes[i] as number] === 0) i += 1;
        if (i < end && bytes[i] === QUOTE) {
          atEventId = depth === 1 && isEventId(bytes, keyStart, i);
          i += 1;
        } else {
          i = escapedStringRest(bytes, i, end);
          if (i === -1) return NOT_JSON;
          // An escaped key may spell `event_id` another way: only a parse can tell.
          if (depth === 1) idNeedsParse = true;
        }
        if (i < end && WHITESPACE[bytes[i] as number] === 1) i = skipWhitespace(bytes, i, end);
        if (i >= end || bytes[i] !== COLON) return NOT_JSON;
        i += 1;
        if (i < end && WHITESPACE[bytes[i] as number] === 1) i = skipWhitespace(bytes, i, end);
      }
      // A value starts at i.
      if (i >= end) return NOT_JSON;
      const c = bytes[i] as number;
      if (c === QUOTE) {
        const contentStart = i + 1;
        i = contentStart;
        while (i < end && STRING_STOP[bytes[i] as number] === 0) i += 1;
        let escaped = false;
        if (i < end && bytes[i] === QUOTE) {
          i += 1;
        } else {
          i = escapedStringRest(bytes, i, end);
          if (i === -1) return NOT_JSON;
          escaped = true;
        }
        if (atEventId) {
          idStart = contentStart;
          idEnd = i - 1;
          if (escaped) idNeedsParse = true;
          atEventId = false;
        }
      } else {
        if (atEventId) {
          // A later `event_id` wins, as in JSON.parse; one that is no string is no id.
          idStart = idEnd = -1;
          atEventId = false;
        }
        if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
          i = skipWhitespace(bytes, i + 1, end);
          if (i < end && bytes[i] === (c === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY)) {
            i += 1;
          } else {
            if (depth === stack.length) stack = this.#grow();
            stack[depth] = c === OPEN_OBJECT ? IN_OBJECT : IN_ARRAY;
            depth += 1;
            needKey = c === OPEN_OBJECT;
            continue;
          }
        } else if (c === MINUS || (c >= ZERO && c <= NINE)) {
          i = scanNumber(bytes, i, end);
        } else if (c === 0x74) {
          i = scanWord(bytes, i, end, TRUE);
        } else if (c === 0x66) {
          i = scanWord(bytes, i, end, FALSE);
        } else if (c === 0x6e) {
          i = scanWord(bytes, i, end, NULL);
        } else {
          return NOT_JSON;
        }
        if (i === -1) return NOT_JSON;
      }
      // After a value: close what it ends, or move to the next member.
      for (;;) {
        if (i < end && WHITESPACE[bytes[i] as number] === 1) i = skipWhitespace(bytes, i, end);
        if (depth === 0) {
          if (i !== end) return NOT_JSON;
          this.idStart = idStart;
          this.idEnd = idEnd;
          this.idNeedsParse = idNeedsParse;
          return JSON_OBJECT;
        }
        if (i >= end) return NOT_JSON;
        const inside = stack[depth - 1];
        const next = bytes[i];
        if (next === COMMA) {
          i += 1;
          if (i < end && WHITESPACE[bytes[i] as number] === 1) i = skipWhitespace(bytes, i, end);
          needKey = inside === IN_OBJECT;
          break;
        }
        if (next === (inside === IN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY)) {
          depth -= 1;
          i += 1;
          continue;
        }
        return NOT_JSON;
      }
    }
  }

  #grow(): Uint8Array {
    const bigger = new Uint8Array(this.#stack.length * 2);
    bigger.set(this.#stack);
    this.#stack = bigger;
    return bigger;
  }
}

/**
 * The rest of a string from `i`, where plain content stopped at something other than the closing
 * quote: the index after the closing quote, or -1 when the string is invalid or unterminated.
 */
function escapedStringRest(bytes: Uint8Array, i: number, end: number): number {
  while (i < end) {
    const c = bytes[i] as number;
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH) {
      if (i + 1 >= end) return -1;
      const e = bytes[i + 1];
      if (e === 0x75) {
        if (i + 6 > end) return -1;
        for (let k = 2; k < 6; k += 1) if (!isHex(bytes[i + k] as number)) return -1;
        i += 6;
      } else if (
        e === QUOTE ||
        e === BACKSLASH ||
        e === 0x2f ||
        e === 0x62 ||
        e === 0x66 ||
        e === 0x6e ||
        e === 0x72 ||
        e === 0x74
      ) {
        i += 2;
      } else {
        return -1;
      }
    } else if (c < 0x20) {
      return -1;
    } else {
      i += 1;
    }
  }
  return -1;
}

function isHex(c: number): boolean {
  return (c >= ZERO && c <= NINE) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function skipWhitespace(bytes: Uint8Array, i: number, end: number): number {
  while (i < end && WHITESPACE[bytes[i] as number] === 1) i += 1;
  return i;
}

function isEventId(bytes: Uint8Array, start: number, end: number): boolean {
  if (end - start !== EVENT_ID.length) return false;
  for (let k = 0; k < EVENT_ID.length; k += 1) if (bytes[start + k] !== EVENT_ID[k]) return false;
  return true;
}

function digitAt(bytes: Uint8Array, i: number, end: number): boolean {
  if (i >= end) return false;
  const c = bytes[i] as number;
  return c >= ZERO && c <= NINE;
}

function scanNumber(bytes: Uint8Array, i: number, end: number): number {
  if (bytes[i] === MINUS) i += 1;
  if (i < end && bytes[i] === ZERO) i += 1;
  else if (digitAt(bytes, i, end)) while (digitAt(bytes, i, end)) i += 1;
  else return -1;
  if (i < end && bytes[i] === 0x2e) {
    i += 1;
    if (!digitAt(bytes, i, end)) return -1;
    while (digitAt(bytes, i, end)) i += 1;
  }
  if (i < end && (bytes[i] === 0x65 || bytes[i] === 0x45)) {
    i += 1;
    if (i < end && (bytes[i] === 0x2b || bytes[i] === MINUS)) i += 1;
    if (!digitAt(bytes, i, end)) return -1;
    while (digitAt(bytes, i, end)) i += 1;
  }
  return i;
}

function scanWord(bytes: Uint8Array, i: number, end: number, word: readonly number[]): number {
  if (i + word.length > end) return -1;
  for (let k = 0; k < word.length; k += 1) if (bytes[i + k] !== word[k]) return -1;
  return i + word.length;
}
