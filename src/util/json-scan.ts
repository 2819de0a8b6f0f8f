/**
 * Finds where a JSON value ends in a text, checking it against the JSON grammar (RFC 8259) without
 * building it. Passing events through as the text that arrived — instead of parsing and
 * serialising each one — is most of the cost of piping a large result, yet every line written
 * must still be valid JSON: this is the cheap half of that promise. Iterative, so a value nested
 * any depth cannot overflow the stack.
 */

const OBJECT = 0;
const ARRAY = 1;

const isWhitespace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHex = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);

/** The index after the whitespace at `i`. */
export function skipJsonWhitespace(text: string, i: number): number {
  while (i < text.length && isWhitespace(text.charCodeAt(i))) i += 1;
  return i;
}

/** The index after the string starting at `i` (an opening quote), or -1. */
export function scanJsonString(text: string, i: number): number {
  if (text.charCodeAt(i) !== 0x22) return -1;
  i += 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c < 0x20) return -1;
    if (c === 0x5c) {
      const e = text.charCodeAt(i + 1);
      if (e === 0x75) {
        for (let k = 2; k < 6; k += 1) if (!isHex(text.charCodeAt(i + k))) return -1;
        i += 6;
      } else if (
        e === 0x22 ||
        e === 0x5c ||
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
    } else {
      i += 1;
    }
  }
  return -1;
}

function scanNumber(text: string, i: number): number {
  if (text.charCodeAt(i) === 0x2d) i += 1;
  if (text.charCodeAt(i) === 0x30) i += 1;
  else if (isDigit(text.charCodeAt(i))) while (isDigit(text.charCodeAt(i))) i += 1;
  else return -1;
  if (text.charCodeAt(i) === 0x2e) {
    i += 1;
    if (!isDigit(text.charCodeAt(i))) return -1;
    while (isDigit(text.charCodeAt(i))) i += 1;
  }
  const e = text.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    i += 1;
    const sign = text.charCodeAt(i);
    if (sign === 0x2b || sign === 0x2d) i += 1;
    if (!isDigit(text.charCodeAt(i))) return -1;
    while (isDigit(text.charCodeAt(i))) i += 1;
  }
  return i;
}

function scanWord(text: string, i: number, word: string): number {
  return text.startsWith(word, i) ? i + word.length : -1;
}

/** The index after `"key"` and its colon at `i` (whitespace allowed around them), or -1. */
function scanKey(text: string, i: number): number {
  i = scanJsonString(text, i);
  if (i === -1) return -1;
  i = skipJsonWhitespace(text, i);
  return text.charCodeAt(i) === 0x3a ? skipJsonWhitespace(text, i + 1) : -1;
}

/**
 * The index just after the JSON value that starts at `start` (leading whitespace allowed), or -1
 * when the text there is not one valid JSON value.
 */
export function scanJsonValue(text: string, start: number): number {
  const open: number[] = [];
  let i = skipJsonWhitespace(text, start);
  for (;;) {
    // A value starts at i.
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x5b) {
      const close = c === 0x7b ? 0x7d : 0x5d;
      i = skipJsonWhitespace(text, i + 1);
      if (text.charCodeAt(i) === close) {
        i += 1;
      } else {
        open.push(c === 0x7b ? OBJECT : ARRAY);
        if (c === 0x7b) {
          i = scanKey(text, i);
          if (i === -1) return -1;
        }
        continue;
      }
    } else if (c === 0x22) {
      i = scanJsonString(text, i);
    } else if (c === 0x2d || isDigit(c)) {
      i = scanNumber(text, i);
    } else if (c === 0x74) {
      i = scanWord(text, i, 'true');
    } else if (c === 0x66) {
      i = scanWord(text, i, 'false');
    } else if (c === 0x6e) {
      i = scanWord(text, i, 'null');
    } else {
      return -1;
    }
    if (i === -1) return -1;
    // After a value: close what it ends, or move to the next member.
    for (;;) {
      if (open.length === 0) return i;
      i = skipJsonWhitespace(text, i);
      const inside = open[open.length - 1];
      const next = text.charCodeAt(i);
      if (next === 0x2c) {
        i = skipJsonWhitespace(text, i + 1);
        if (inside === OBJECT) {
          i = scanKey(text, i);
          if (i === -1) return -1;
        }
        break;
      }
      if ((inside === OBJECT && next === 0x7d) || (inside === ARRAY && next === 0x5d)) {
        open.pop();
        i += 1;
        continue;
      }
      return -1;
    }
  }
}

/** True when `text` is exactly one JSON value (surrounding whitespace allowed). */
export function isJsonText(text: string): boolean {
  const end = scanJsonValue(text, 0);
  return end !== -1 && skipJsonWhitespace(text, end) === text.length;
}
