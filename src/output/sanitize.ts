/**
 * Text from outside is untrusted: a log message, an org name from the service or a query the user
 * pasted may carry characters that drive the terminal instead of being shown. Escape sequences
 * move the cursor, recolour, rewrite the title or hide lines; bidirectional overrides (U+202E) and
 * invisible characters (U+200B, U+FEFF) make the text read differently from what it is. Every
 * string that reaches a terminal passes through here; NDJSON needs nothing (JSON escapes controls,
 * and a program reading it sees the real characters). docs/design.md lists what is escaped.
 *
 * Text that is a message rather than data (stderr lines, status lines) is also cleared of secrets
 * (model/secrets.ts): a server may echo the caller's token back.
 */
import { scrubSecrets } from '../model/secrets.js';

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
  return scrubSecrets(text).replace(UNSAFE_EXCEPT_NEWLINE, escapeChar);
}

/**
 * One line of a message for a terminal (stderr, a status line): secrets redacted and every unsafe
 * character escaped, line breaks included, so that a peer's text cannot start a line of its own.
 */
export function sanitizeMessage(text: string): string {
  return sanitizeForTerminal(scrubSecrets(text));
}

/**
 * What stdout may not carry to a terminal even inside JSON, where the C0 controls are escaped
 * already: DEL and C1, bidi controls, invisible characters and the line separators, which
 * `JSON.stringify` leaves raw. Tab, line feed and the escape of our own colours are left alone.
 */
const INVISIBLE_IN_JSON =
  /[\u007f-\u009f\u061c\u180e\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]/g;
const HAS_INVISIBLE_IN_JSON = new RegExp(INVISIBLE_IN_JSON.source);

function unicodeEscape(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * Output bound for a terminal, made safe as a whole: secrets redacted, and the characters above
 * written as `\uXXXX`. In JSON that is the same string (a `\u` escape of the same character); in
 * text every such character was already shown escaped, so nothing else changes. A pipe never gets
 * this: it receives the bytes as they are.
 */
export function guardTerminalOutput(text: string): string {
  const scrubbed = scrubSecrets(text);
  return HAS_INVISIBLE_IN_JSON.test(scrubbed) ? scrubbed.replace(INVISIBLE_IN_JSON, unicodeEscape) : scrubbed;
}
