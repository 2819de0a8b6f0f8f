/**
 * Text from outside is untrusted: a log message, an org name from the service or a query the user
 * pasted may carry characters that drive the terminal instead of being shown. Escape sequences
 * move the cursor, recolour, rewrite the title or hide lines; bidirectional overrides (U+202E) and
 * invisible characters (U+200B, U+FEFF) make the text read differently from what it is. Every
 * string that reaches a terminal passes through here; NDJSON needs nothing (JSON escapes controls,
 * and a program reading it sees the real characters). docs/design.md lists what is escaped.
 */

/**
 * C0 controls, DEL and C1 (some terminals obey C1 too); the Unicode line and paragraph separators;
 * bidirectional marks, embeddings, overrides and isolates; zero-width space, word joiner and the
 * invisible operators; the byte-order mark and interlinear annotation marks. Zero-width joiner and
 * non-joiner (U+200C/D) are kept: emoji sequences and several scripts need them to render.
 */
const UNSAFE =
  /[\u0000-\u001f\u007f-\u009f\u061c\u180e\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]/g;

/**
 * The same class without the global flag, whose `test` keeps no `lastIndex`: nearly every string is
 * clean, and a test costs a fraction of a replace that finds nothing (pretty lines sanitize several
 * strings per event).
 */
const HAS_UNSAFE = new RegExp(UNSAFE.source);

const UNSAFE_EXCEPT_NEWLINE =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u180e\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeChar(char: string): string {
  const named = NAMED[char];
  if (named) return named;
  const code = char.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One line of terminal-safe text: every unsafe character shown as a visible escape (`\x1b`, `\u202e`). */
export function sanitizeForTerminal(text: string): string {
  return HAS_UNSAFE.test(text) ? text.replace(UNSAFE, escapeChar) : text;
}

/** Like `sanitizeForTerminal`, but keeps line breaks: for messages of several lines (an error and its caret). */
export function sanitizeLines(text: string): string {
  return text.replace(UNSAFE_EXCEPT_NEWLINE, escapeChar);
}
