/**
 * Log text is untrusted: a message carrying escape sequences could rewrite the user's terminal
 * (move the cursor, change the title, hide lines). Pretty output shows control characters as
 * visible escapes and keeps each event on one line; NDJSON is already safe (JSON escapes them).
 */

// C0 controls except none, DEL, and the C1 range (which some terminals also obey).
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function sanitizeForTerminal(text: string): string {
  return text.replace(
    CONTROL_CHARS,
    (char) => NAMED[char] ?? `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}
