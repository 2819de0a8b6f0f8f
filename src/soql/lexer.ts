/**
 * Turns a query into tokens in one left-to-right pass, every character looked at a bounded number
 * of times (no backtracking regexes over the input), so a hostile query costs linear time.
 */
import { END_OF_QUERY, SoqlParseError } from './parse-error.js';

export type TokenKind = 'word' | 'string' | 'op' | 'lparen' | 'rparen' | 'comma' | 'eof';

export interface Token {
  kind: TokenKind;
  /** The source text of the token, quotes included (`end of query` for eof). */
  text: string;
  /** Strings: the unescaped contents; other tokens: same as `text`. */
  value: string;
  position: number;
  /** Whether whitespace (or the start of the query) comes right before it. */
  spaced: boolean;
}

/** Operators, longest first so that `>=` is not read as `>` then `=`. */
const OPERATORS = ['==', '!=', '<=', '>=', '!~', '&&', '||', '=', '<', '>', '~', '!'] as const;

// Characters that end a bare word. Everything else, `- _ . : / @ + *` included, may be part of one,
// so `auth-service`, `admin:Mitch` and `2026-05-17T10:00:00Z` need no quotes.
const WORD_BREAKERS = new Set(['(', ')', ',', '"', "'", '=', '!', '<', '>', '~', '&', '|']);

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  "'": "'",
  '\\': '\\',
  n: '\n',
  t: '\t',
  r: '\r',
};

const MAX_NEAR_LENGTH = 40;

const WHITESPACE = /\s/;

// A 64 KiB query is looked at character by character: ASCII is decided by its code, and only
// other characters go to the regex (which knows every Unicode space).
function isSpace(char: string): boolean {
  const code = char.charCodeAt(0);
  if (code < 0x80) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  return WHITESPACE.test(char);
}

/** The text to quote as `near` for a token, shortened so messages stay one line. */
export function nearText(text: string): string {
  return text.length > MAX_NEAR_LENGTH ? `${text.slice(0, MAX_NEAR_LENGTH - 1)}…` : text;
}

/** All tokens of `query`, ending with one `eof` token. Throws SoqlParseError on a bad string. */
export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let spaced = true;
  const push = (kind: TokenKind, start: number, end: number, value?: string): void => {
    const text = query.slice(start, end);
    tokens.push({ kind, text, value: value ?? text, position: start, spaced });
    spaced = false;
    i = end;
  };

  while (i < query.length) {
    const char = query[i]!;
    if (isSpace(char)) {
      i++;
      spaced = true;
    } else if (char === '(') push('lparen', i, i + 1);
    else if (char === ')') push('rparen', i, i + 1);
    else if (char === ',') push('comma', i, i + 1);
    else if (char === '"' || char === "'") {
      const { end, value } = readString(query, i);
      push('string', i, end, value);
    } else if (WORD_BREAKERS.has(char)) {
      const operator = OPERATORS.find((op) => query.startsWith(op, i));
      if (operator === undefined) {
        const double = `${char}${char}`;
        throw new SoqlParseError(`unexpected '${char}' — did you mean '${double}'?`, {
          query,
          position: i,
          near: char,
          // `message ~ warn|err`: the user meant a regex, not a boolean operator.
          hint: spaced ? undefined : `quote the value if '${char}' is part of it`,
        });
      }
      push('op', i, i + operator.length);
    } else {
      let end = i + 1;
      while (end < query.length && !WORD_BREAKERS.has(query[end]!) && !isSpace(query[end]!)) end++;
      push('word', i, end);
    }
  }
  tokens.push({ kind: 'eof', text: END_OF_QUERY, value: '', position: query.length, spaced });
  return tokens;
}

/**
 * Reads the quoted string starting at `start`. An escape the table does not know keeps its
 * backslash (`"\d+"` stays `\d+`), so regexes can be written as they would be in JavaScript.
 */
function readString(query: string, start: number): { end: number; value: string } {
  const quote = query[start]!;
  let value = '';
  let i = start + 1;
  while (i < query.length) {
    // The plain run up to the next quote or backslash in one slice, not a character at a time.
    let end = i;
    while (end < query.length && query[end] !== quote && query[end] !== '\\') end++;
    if (end > i) {
      value += query.slice(i, end);
      i = end;
      continue;
    }
    const char = query[i]!;
    if (char === quote) return { end: i + 1, value };
    const next = query[i + 1];
    if (next === undefined) break;
    if (next === 'u') {
      const hex = query.slice(i + 2, i + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
        throw new SoqlParseError('invalid \\u escape: expected 4 hex digits, like \\u00e9', {
          query,
          position: i,
          near: nearText(query.slice(i, i + 6)),
        });
      }
      value += String.fromCharCode(Number.parseInt(hex, 16));
      i += 6;
      continue;
    }
    value += SIMPLE_ESCAPES[next] ?? `\\${next}`;
    i += 2;
  }
  throw new SoqlParseError(`unterminated string: no closing ${quote}`, {
    query,
    position: start,
    near: nearText(query.slice(start)),
  });
}
