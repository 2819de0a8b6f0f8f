/**
 * Compiling a query's regexes ahead of `compileQuery`, a few at a time, for a server that must not
 * hold its event loop: RE2 takes from 25 µs to tens of milliseconds per pattern (a long pattern of
 * case-folded Unicode classes), and a query may hold 64 of them. Each pattern lands in the regex
 * cache (regex.ts), so the `compileQuery` that follows compiles none of them again and costs only
 * its lexing and parsing, which are linear and cheap.
 */
import { tokenize } from './lexer.js';
import { MAX_QUERY_LENGTH, MAX_QUERY_PATTERNS } from './parser.js';
import { compilePattern } from './regex.js';

/**
 * Compiles the `~` and `!~` patterns of `query`, awaiting `pause()` whenever `budgetMs` of work
 * has passed since the last pause (`now` is the clock). Never throws: a query that does not lex,
 * or a pattern that does not compile, is left for `compileQuery` to report with its position.
 */
export async function precompilePatterns(
  query: string,
  pause: () => Promise<void>,
  budgetMs: number,
  now: () => number = () => performance.now(),
): Promise<void> {
  if (query.length > MAX_QUERY_LENGTH) return;
  let tokens: ReturnType<typeof tokenize>;
  try {
    tokens = tokenize(query);
  } catch {
    return;
  }
  let started = now();
  let patterns = 0;
  for (let i = 0; i + 1 < tokens.length; i++) {
    const op = tokens[i]!;
    if (op.kind !== 'op' || (op.text !== '~' && op.text !== '!~')) continue;
    const value = tokens[i + 1]!;
    if (value.kind !== 'string' && value.kind !== 'word') continue;
    // The parser refuses the query past this many: compiling more would be work for nothing.
    if (++patterns > MAX_QUERY_PATTERNS) return;
    // As the parser reads it: a quoted value unescaped, a bare word as written.
    compilePattern(value.kind === 'string' ? value.value : value.text);
    if (now() - started >= budgetMs) {
      await pause();
      started = now();
    }
  }
}
