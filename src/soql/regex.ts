/**
 * The regex engine behind `~` and `!~`: RE2 (the re2js port), which matches in time linear in the
 * text whatever the pattern, so no filter can freeze the mock or the CLI the way a backtracking
 * engine does on `^(a+)+$` (docs/soql.md "Regular expressions" has the measurements). The price
 * is RE2's syntax: no backreferences and no lookaround, which are exactly the features that
 * need backtracking; both are refused at parse time with the reason.
 */
import { createRequire } from 'node:module';
import type * as Re2js from 're2js';

// re2js is ~260 KB of JavaScript: loaded on the first regex, not with every command that parses
// a query (its CommonJS build, so that loading stays synchronous like the rest of the parser).
const requireHere = createRequire(import.meta.url);
let engine: typeof Re2js | undefined;
function re2js(): typeof Re2js {
  engine ??= requireHere('re2js') as typeof Re2js;
  return engine;
}

/** Longest regex pattern accepted, in UTF-16 code units. */
export const MAX_REGEX_LENGTH = 1_000;

/**
 * Largest compiled program accepted, in RE2 instructions. Matching costs at most (text length ×
 * program size), so this bounds one test: `[a-z]{1000}` is ~1,000 and takes ~60 ms over 64 KiB.
 */
export const MAX_REGEX_PROGRAM = 2_000;

/**
 * Distinct patterns kept compiled. RE2 compiles a pattern in 25 µs to over 1 ms (a case-folded
 * Unicode class), so a pattern is compiled once: the parser's check and the compiler share it, as
 * do the tails and queries that send the same filter. Bounded: a parsed query holds at most
 * MAX_QUERY_PATTERNS of them (parser.ts), so a few queries' worth fit.
 */
const PATTERN_CACHE_SIZE = 512;
const patternCache = new Map<string, Re2js.RE2JS | { error: string }>();

/** A compiled pattern: the only thing evaluation needs. */
export interface TextPattern {
  test(text: string): boolean;
}

/** A `~` pattern, compiled. */
export interface RegexPattern extends TextPattern {
  /** RE2 instructions: what one test costs per character of text, at worst. */
  readonly size: number;
}

/**
 * Compiles a `~` pattern, or says why it cannot be used. The pattern is RE2 syntax, inline flags
 * included (`(?i)`, `(?s)`, `(?m)`, anywhere in the pattern), with no flags from outside.
 */
export function compilePattern(pattern: string): RegexPattern | { error: string } {
  const compiled = compileBounded(pattern);
  if ('error' in compiled) return compiled;
  const size = compiled.programSize();
  const literal = requiredLiteral(pattern);
  if (literal === undefined) return { test: (text) => compiled.test(text), size };
  // Most texts lack the literal, and `includes` says so several times faster than the engine.
  return { test: (text) => text.includes(literal) && compiled.test(text), size };
}

/** The pattern compiled by RE2 within the limits above, or why not: from the cache when it can. */
function compileBounded(pattern: string): Re2js.RE2JS | { error: string } {
  const cached = patternCache.get(pattern);
  if (cached !== undefined) {
    // Least recently used goes first: a hit moves to the end.
    patternCache.delete(pattern);
    patternCache.set(pattern, cached);
    return cached;
  }
  const compiled = compileUncached(pattern);
  // A pattern over the length limit is refused without compiling: nothing to save, and a 64 KiB
  // key apiece would make the cache hold megabytes.
  if (pattern.length > MAX_REGEX_LENGTH) return compiled;
  patternCache.set(pattern, compiled);
  if (patternCache.size > PATTERN_CACHE_SIZE) patternCache.delete(patternCache.keys().next().value!);
  return compiled;
}

function compileUncached(pattern: string): Re2js.RE2JS | { error: string } {
  if (pattern.length > MAX_REGEX_LENGTH) {
    return {
      error: `regular expression too long: ${pattern.length} characters, at most ${MAX_REGEX_LENGTH}`,
    };
  }
  const { RE2JS, RE2JSException } = re2js();
  let compiled: Re2js.RE2JS;
  try {
    compiled = RE2JS.compile(pattern);
  } catch (error) {
    if (!(error instanceof RE2JSException)) throw error;
    return { error: `invalid regular expression: ${regexProblem(error.message)}` };
  }
  const size = compiled.programSize();
  if (size > MAX_REGEX_PROGRAM) {
    return {
      error: `regular expression too complex: ${size} steps once compiled, at most ${MAX_REGEX_PROGRAM}`,
    };
  }
  return compiled;
}

/** A pattern that says where it matches: what `--highlight` marks. */
export interface SearchPattern {
  /** Every match, left to right, as [start, end) in UTF-16 units; empty matches are left out. */
  matches(text: string): [number, number][];
}

/**
 * Compiles a search pattern: the same RE2 syntax and limits as `~` (matching stays linear in the
 * text), for finding every match rather than testing for one.
 */
export function compileSearchPattern(pattern: string): SearchPattern | { error: string } {
  const compiled = compileBounded(pattern);
  if ('error' in compiled) return compiled;
  const literal = requiredLiteral(pattern);
  return {
    matches(text) {
      const found: [number, number][] = [];
      // Most texts lack the literal, and `includes` says so several times faster than the engine.
      if (literal !== undefined && !text.includes(literal)) return found;
      const matcher = compiled.matcher(text);
      while (matcher.find()) {
        const start = matcher.start();
        const end = matcher.end();
        if (end > start) found.push([start, end]);
      }
      return found;
    },
  };
}

const QUANTIFIER_START = new Set(['*', '+', '?', '{']);

/**
 * The longest run of plain characters that every match must contain, or undefined when there is
 * no such run worth checking (2 characters or more). Conservative by construction: only
 * characters standing at the top level of the pattern count, outside any group or class, with no
 * quantifier after them; any top-level `|`, flag group `(?…)`, `\Q` or unbalanced bracket gives
 * up, since the runs would no longer be required (or exact, under `(?i)`).
 */
const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

export function requiredLiteral(pattern: string): string | undefined {
  if (pattern.includes('(?') || pattern.includes('\\Q')) return undefined;
  let best = '';
  let run = '';
  let depth = 0;
  const endRun = (): void => {
    if (run.length > best.length) best = run;
    run = '';
  };
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '\\') {
      endRun();
      // Skip the escaped character whole, an astral one (two UTF-16 units) included.
      i += isHighSurrogate(pattern.charCodeAt(i + 1)) ? 2 : 1;
    } else if (char === '[') {
      endRun();
      // RE2: a `]` right after `[` or `[^` is a literal; an escape inside skips its character.
      i += pattern[i + 1] === '^' ? 2 : 1;
      if (pattern[i] === ']') i++;
      while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
      if (i >= pattern.length) return undefined;
    } else if (char === '(') {
      endRun();
      depth++;
    } else if (char === ')') {
      endRun();
      if (--depth < 0) return undefined;
    } else if (char === '|') {
      if (depth === 0) return undefined;
      endRun();
    } else if (QUANTIFIER_START.has(char)) {
      // The quantifier makes the character before it optional or repeated: not part of a run. A
      // character is a code point to RE2, so an astral one (two UTF-16 units) goes whole.
      run = run.slice(0, isLowSurrogate(run.charCodeAt(run.length - 1)) ? -2 : -1);
      endRun();
      if (char === '{') {
        // Skip the counts of a real repeat. A `{` that starts none is a literal to RE2, and text
        // after it (a top-level `|` included) must still be read: give up on a prefilter then.
        const repeat = /^\{\d+(?:,\d*)?\}/.exec(pattern.slice(i));
        if (!repeat) return undefined;
        i += repeat[0].length - 1;
      }
    } else if (char === '.' || char === '^' || char === '$' || depth > 0) {
      endRun();
    } else {
      run += char;
    }
  }
  endRun();
  return depth === 0 && best.length >= 2 ? best : undefined;
}

// re2js words errors as Go does (`error parsing regexp: missing closing ): `(x``); keep the reason
// and say what the usual stumbling blocks are in our terms.
function regexProblem(message: string): string {
  const reason = message.replace(/^error parsing regexp: /, '');
  if (reason.startsWith('invalid or unsupported Perl syntax: `(?=') || reason.includes('`(?!')) {
    return `${reason} (lookahead needs backtracking; RE2 syntax has none)`;
  }
  if (/invalid named capture: `\(\?<[=!]/.test(reason)) {
    return `${reason} (lookbehind needs backtracking; RE2 syntax has none)`;
  }
  if (/invalid escape sequence: `\\[1-9k]/.test(reason)) {
    return `${reason} (backreferences need backtracking; RE2 syntax has none)`;
  }
  return reason;
}

/**
 * A search for `text` anywhere, ignoring case by Unicode simple case folding (`STRAẞE` finds
 * `Straße`, `É` finds `é`; one letter never folds to two, so `ß` does not find `ss`). Built on the
 * native engine: a pattern of plain characters cannot backtrack, and the parser bounds its length.
 */
export function caseInsensitiveText(text: string): TextPattern {
  return new RegExp(text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&'), 'iu');
}
