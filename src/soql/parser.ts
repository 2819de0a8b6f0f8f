/**
 * SOQL parser: query text → ParsedQuery (filter tree + GROUP BY fields), or a SoqlParseError
 * that says where and what. api.md "SOQL, the filter language" is the contract; where it is
 * silent this parser decides as follows (docs/soql.md says the same for users):
 *
 * - Grammar, loosest first: query := [or] [GROUP BY field [, field]] ; or := and {OR and} ;
 *   and := unary {AND unary} ; unary := NOT unary | primary ; primary := ( or ) | "text" | condition.
 *   `&&` `||` `!` are AND OR NOT. Keywords ignore case; so do top-level field names.
 * - No implicit AND: `a == 1 b == 2` is an error at `b` ("join conditions with AND or OR"),
 *   because a silent AND hides typos like a missing quote.
 * - Conditions: `field OP value` for == (or =) != < <= > >= ~ !~ CONTAINS STARTSWITH;
 *   `field [NOT] IN (v, …)`; `field [NOT] EXISTS`; `field NOT CONTAINS|STARTSWITH v`.
 *   Negated forms are NOT nodes (`!=` and `!~` stay operators but evaluate as NOT of == and ~).
 * - Absent fields: every positive comparison is false; a negative one (!=, !~, NOT …) is its
 *   exact negation and so true. `x == null` matches absent or null, `x EXISTS` present and not null.
 * - Values: "…" or '…' (escapes \" \' \\ \n \t \r \uXXXX; any other \x keeps its backslash, so
 *   regexes need no doubling), numbers, true/false/null, and bare words (text; anything without
 *   spaces or ( ) , " ' = ! < > ~ & |). A quoted "42" or "true" is text.
 * - By field: `severity` values must be severity names or aliases and compare by rank;
 *   `ts`/`ingested_at` values must be RFC 3339 times (a date alone is midnight UTC, no offset means
 *   UTC) or epoch milliseconds. Text operators (~ !~ CONTAINS STARTSWITH) take any value as text.
 * - Mixed types, one symmetric rule: a number and a text that reads as a number compare as
 *   numbers, for == and for ordering, whichever side each is on; two texts compare as text (by
 *   code unit); a text equals a boolean whose text it is. Ordering by true/false/null is an error.
 *   Other mismatches are false.
 * - CONTAINS, STARTSWITH and ~ are case-sensitive, like ==; only a bare quoted string (full text
 *   over `message`) ignores case, by Unicode simple case folding. `~` is RE2 syntax (regex.ts),
 *   inline flags such as `(?i)` included.
 * - A query may be only `GROUP BY …` (filter null); GROUP BY must come last, takes one or two
 *   canonical fields (payload ones need a key), and no field twice.
 * - Limits, all checked here so that client and server refuse the same queries: 64 Ki characters
 *   of query; 200 levels of parentheses and NOT together; full-text strings and regex patterns of
 *   1,000 characters; regexes of 2,000 RE2 instructions (regex.ts), and no more than that in all
 *   the query's regexes together; 64 regexes and full-text strings in all. Each of those scans a
 *   whole text per event: without the last two, one 64 KiB query of 2,340 regexes cost a second
 *   per event with a 64 KiB message, and seconds to compile.
 */

import { positionIn } from '../util/words.js';
import type { CompareOp, Expr, Literal } from './ast.js';
import { resolveField, SOQL_FIELDS, suggestField } from './fields.js';
import { nearText, type Token, tokenize } from './lexer.js';
import { typedLiteral } from './literals.js';
import { SoqlParseError } from './parse-error.js';
import { compilePattern, MAX_REGEX_PROGRAM } from './regex.js';

/** The deepest nesting of parentheses and NOT together; deeper is an error, not a stack overflow. */
export const MAX_NESTING = 200;

/**
 * The longest query, in UTF-16 code units: room for an IN list of a thousand ids, and a bound on
 * what one request can make the parser and every evaluation do.
 */
export const MAX_QUERY_LENGTH = 65_536;

/** The longest full-text string, in UTF-16 code units (the same bound as a regex pattern). */
export const MAX_FULLTEXT_LENGTH = 1_000;

/**
 * Regexes and full-text strings in one query: each one reads the whole text of its field for every
 * event, so together they bound what evaluating one event can cost.
 */
export const MAX_QUERY_PATTERNS = 64;

/** GROUP BY takes one or two fields (api.md: `GROUP BY f1[, f2]`). */
export const MAX_GROUP_FIELDS = 2;

/** A query, parsed: its text, its filter (null: every event) and its GROUP BY fields, if any. */
export interface ParsedQuery {
  source: string;
  filter: Expr | null;
  /** Canonical field names (`['source']`, `['payload.user']`), or null without GROUP BY. */
  groupBy: string[] | null;
  /** Where the GROUP keyword stands, for errors about GROUP BY where it is not allowed. */
  groupByPosition: number | null;
}

const RESERVED = new Set(['and', 'or', 'not', 'in', 'contains', 'startswith', 'exists', 'group', 'by']);

const SYMBOL_OPS: Readonly<Record<string, CompareOp>> = {
  '==': '==',
  '=': '==',
  '!=': '!=',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
  '~': '~',
  '!~': '!~',
};

const OPERATOR_LIST = '==, !=, <, <=, >, >=, ~, !~, CONTAINS, STARTSWITH, IN, EXISTS';

/**
 * Parses a SOQL query. An empty or blank query matches everything (filter null).
 * Throws SoqlParseError, and nothing else, for any input.
 */
export function parseQuery(query: string): ParsedQuery {
  return new Parser(query).parse();
}

function isKeyword(token: Token, keyword: string): boolean {
  return token.kind === 'word' && token.text.toLowerCase() === keyword;
}

function isAnd(token: Token): boolean {
  return isKeyword(token, 'and') || (token.kind === 'op' && token.text === '&&');
}

function isOr(token: Token): boolean {
  return isKeyword(token, 'or') || (token.kind === 'op' && token.text === '||');
}

function isNot(token: Token): boolean {
  return isKeyword(token, 'not') || (token.kind === 'op' && token.text === '!');
}

const CONDITION_KEYWORDS = new Set(['in', 'contains', 'startswith', 'exists']);

function isConditionKeyword(token: Token): boolean {
  return token.kind === 'word' && CONDITION_KEYWORDS.has(token.text.toLowerCase());
}

function isValue(token: Token): boolean {
  return token.kind === 'string' || (token.kind === 'word' && !RESERVED.has(token.text.toLowerCase()));
}

/** Could this token begin a condition? Then what is missing before it is AND or OR. */
function startsCondition(token: Token): boolean {
  return isValue(token) || token.kind === 'lparen' || isNot(token);
}

class Parser {
  private readonly tokens: Token[];
  private index = 0;
  private depth = 0;
  /** Regexes and full-text strings so far, and the RE2 instructions of the regexes. */
  private patterns = 0;
  private regexProgram = 0;

  constructor(private readonly query: string) {
    if (query.length > MAX_QUERY_LENGTH) {
      throw new SoqlParseError(`query too long: ${query.length} characters, at most ${MAX_QUERY_LENGTH}`, {
        query,
        position: MAX_QUERY_LENGTH,
        near: nearText(query.slice(MAX_QUERY_LENGTH)),
      });
    }
    this.tokens = tokenize(query);
  }

  parse(): ParsedQuery {
    let filter: Expr | null = null;
    if (this.peek().kind !== 'eof' && !isKeyword(this.peek(), 'group')) filter = this.parseOr(undefined);
    const groupByPosition = isKeyword(this.peek(), 'group') ? this.peek().position : null;
    const groupBy = groupByPosition === null ? null : this.parseGroupBy();
    const rest = this.peek();
    if (rest.kind !== 'eof') this.failUnexpected(rest, groupBy !== null);
    return { source: this.query, filter, groupBy, groupByPosition };
  }

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  private next(): Token {
    const token = this.tokens[this.index]!;
    if (token.kind !== 'eof') this.index++;
    return token;
  }

  private fail(message: string, token: Token, extra: { field?: string; hint?: string } = {}): never {
    throw new SoqlParseError(message, {
      query: this.query,
      position: token.position,
      near: nearText(token.text),
      field: extra.field,
      hint: extra.hint,
    });
  }

  private failUnexpected(token: Token, afterGroupBy: boolean): never {
    if (afterGroupBy) this.fail(`unexpected '${token.text}': GROUP BY must end the query`, token);
    if (token.kind === 'rparen') this.fail(`unexpected ')'`, token);
    const previous = this.tokens[this.index - 1];
    if (!startsCondition(token)) {
      // `"source" == api`: the quoted name was read as full text.
      const quotedField =
        token.kind === 'op' && previous?.kind === 'string' && Object.hasOwn(SYMBOL_OPS, token.text);
      this.fail(`unexpected '${token.text}'`, token, {
        hint: quotedField ? 'field names are written without quotes' : undefined,
      });
    }
    // `actor == admin!x`, `message ~ time(d)?`: a bare value ran into a character that ends words.
    if (!token.spaced && previous !== undefined && previous.kind === 'word') {
      this.fail(`unexpected '${token.text}' right after '${previous.text}'`, token, {
        hint: `quote the value if '${token.text}' is part of it: "${previous.text}${token.text}…"`,
      });
    }
    this.fail(`unexpected '${token.text}' — join conditions with AND or OR`, token);
  }

  /** Counts one regex or full-text string against the query's limit, before it is compiled. */
  private countPattern(token: Token): void {
    if (++this.patterns > MAX_QUERY_PATTERNS) {
      this.fail(`too many regexes and full-text strings: at most ${MAX_QUERY_PATTERNS} in one query`, token, {
        hint: 'for many exact values use IN (…); for many substrings, one regex with | between them',
      });
    }
  }

  /** Adds a compiled regex's program to what the query's regexes take together. */
  private countProgram(token: Token, program: number): void {
    this.regexProgram += program;
    if (this.regexProgram > MAX_REGEX_PROGRAM) {
      this.fail(
        `regular expressions too complex together: ${this.regexProgram} steps once compiled, at most ${MAX_REGEX_PROGRAM} in one query`,
        token,
      );
    }
  }

  private enter(token: Token): void {
    if (++this.depth > MAX_NESTING) {
      this.fail(`query nested too deeply: more than ${MAX_NESTING} levels of parentheses and NOT`, token);
    }
  }

  private parseOr(after: Token | undefined): Expr {
    return this.parseChain('or', isOr, (operator) => this.parseAnd(operator), after);
  }

  private parseAnd(after: Token | undefined): Expr {
    return this.parseChain('and', isAnd, (operator) => this.parseUnary(operator), after);
  }

  /** `item {separator item}`, collected flat in a loop rather than nested by recursion. */
  private parseChain(
    kind: 'and' | 'or',
    isSeparator: (token: Token) => boolean,
    parseItem: (after: Token | undefined) => Expr,
    after: Token | undefined,
  ): Expr {
    const items = [parseItem(after)];
    while (isSeparator(this.peek())) items.push(parseItem(this.next()));
    return items.length === 1 ? items[0]! : { kind, items };
  }

  private parseUnary(after: Token | undefined): Expr {
    if (!isNot(this.peek())) return this.parsePrimary(after);
    const not = this.next();
    this.enter(not);
    const expr = this.parseUnary(not);
    this.depth--;
    return { kind: 'not', expr };
  }

  private parsePrimary(after: Token | undefined): Expr {
    const token = this.peek();
    if (token.kind === 'lparen') {
      this.next();
      this.enter(token);
      const expr = this.parseOr(token);
      const close = this.peek();
      if (close.kind !== 'rparen') {
        if (close.kind !== 'eof' && startsCondition(close)) this.failUnexpected(close, false);
        this.fail(`expected ')' to close the '(' at ${positionIn(this.query, token.position)}`, close);
      }
      this.next();
      this.depth--;
      return expr;
    }
    if (token.kind === 'string') {
      this.next();
      if (token.value.length > MAX_FULLTEXT_LENGTH) {
        this.fail(
          `full-text string too long: ${token.value.length} characters, at most ${MAX_FULLTEXT_LENGTH}`,
          token,
        );
      }
      this.countPattern(token);
      return { kind: 'fulltext', text: token.value, position: token.position };
    }
    if (isValue(token)) return this.parseCondition(this.next());
    this.fail(after ? `expected a condition after '${after.text}'` : 'expected a condition', token);
  }

  /** The canonical field for a word, or an error that says what was probably meant. */
  private field(word: Token, context: 'condition' | 'group'): string {
    const resolved = resolveField(word.text);
    if ('field' in resolved) return resolved.field;
    const written = word.text;
    const field = { field: written };
    if (resolved.problem === 'no-path') {
      this.fail(`field '${resolved.head}' has no keys: only payload (or meta) takes a path`, word, field);
    }
    if (resolved.problem === 'empty-key') this.fail(`empty key in field '${written}'`, word, field);
    const rest = written.slice(resolved.head.length);
    const close = suggestField(resolved.head);
    if (close !== undefined)
      this.fail(`unknown field '${written}' — did you mean '${close}${rest}'?`, word, field);
    // A word standing alone (`timeout AND …`) was meant as text to search, not as a field.
    const standsAlone = context === 'condition' && endsCondition(this.peek());
    if (!standsAlone && /^[A-Za-z_][\w-]*$/.test(written)) {
      this.fail(`unknown field '${written}' — did you mean 'payload.${written}'?`, word, field);
    }
    this.fail(`unknown field '${written}'`, word, {
      ...field,
      hint: standsAlone
        ? `to search messages for it, quote it: "${written}"`
        : `fields are ${SOQL_FIELDS.join(', ')}, and payload.<key>`,
    });
  }

  private parseCondition(word: Token): Expr {
    const field = this.field(word, 'condition');
    const position = word.position;
    const token = this.next();
    if (token.kind === 'op' && Object.hasOwn(SYMBOL_OPS, token.text)) {
      const op = SYMBOL_OPS[token.text]!;
      return { kind: 'compare', field, op, value: this.parseValue(token, field, op), position };
    }
    if (isKeyword(token, 'not')) {
      const negated = this.next();
      if (!isConditionKeyword(negated)) {
        this.fail(`expected IN, CONTAINS, STARTSWITH or EXISTS after '${token.text}'`, negated);
      }
      return { kind: 'not', expr: this.parseKeywordCondition(field, negated, position) };
    }
    if (isConditionKeyword(token)) return this.parseKeywordCondition(field, token, position);
    this.fail(`expected an operator after '${word.text}'`, token, { hint: `operators: ${OPERATOR_LIST}` });
  }

  private parseKeywordCondition(field: string, keyword: Token, position: number): Expr {
    const name = keyword.text.toLowerCase();
    if (name === 'exists') return { kind: 'exists', field, position };
    if (name === 'in') return { kind: 'in', field, values: this.parseInList(keyword, field), position };
    const op = name as 'contains' | 'startswith';
    return { kind: 'compare', field, op, value: this.parseValue(keyword, field, op), position };
  }

  private parseValue(after: Token, field: string, op: CompareOp): Literal {
    const token = this.peek();
    if (!isValue(token)) {
      const hint =
        token.kind === 'word' ? `'${token.text}' is a keyword: quote it to use it as a value` : undefined;
      this.fail(`expected a value after '${after.text}'`, token, { hint });
    }
    this.next();
    const regex = op === '~' || op === '!~';
    if (regex) this.countPattern(token);
    const literal = typedLiteral(field, op, token);
    if ('error' in literal) this.fail(literal.error, token, { hint: literal.hint });
    if (regex) {
      // Compiled once already to check it (regex.ts keeps it): this only reads its size.
      const pattern = compilePattern(literal.raw);
      this.countProgram(token, 'error' in pattern ? 0 : pattern.size);
    }
    return literal;
  }

  private parseInList(keyword: Token, field: string): Literal[] {
    const open = this.peek();
    if (open.kind !== 'lparen') this.fail(`expected '(' after '${keyword.text}'`, open);
    this.next();
    const values: Literal[] = [];
    let after = open;
    for (;;) {
      values.push(this.parseValue(after, field, '=='));
      const token = this.next();
      if (token.kind === 'rparen') return values;
      if (token.kind === 'eof') {
        this.fail(`expected ')' to close the '(' at ${positionIn(this.query, open.position)}`, token);
      }
      if (token.kind !== 'comma') this.fail(`expected ',' or ')' in the ${keyword.text} list`, token);
      after = token;
    }
  }

  private parseGroupBy(): string[] {
    const group = this.next();
    const by = this.next();
    if (!isKeyword(by, 'by')) this.fail(`expected BY after '${group.text}'`, by);
    const fields: string[] = [];
    let after = by;
    for (;;) {
      const token = this.peek();
      if (!isValue(token) || token.kind === 'string')
        this.fail(`expected a field after '${after.text}'`, token);
      this.next();
      const field = this.field(token, 'group');
      if (field === 'payload') this.fail('GROUP BY needs a payload key, like payload.user', token);
      if (fields.includes(field)) this.fail(`'${field}' is already in GROUP BY`, token);
      if (fields.length === MAX_GROUP_FIELDS) {
        this.fail(`GROUP BY takes at most ${MAX_GROUP_FIELDS} fields`, token, {
          hint: 'filter on the others instead, e.g. `source == api GROUP BY actor`',
        });
      }
      fields.push(field);
      if (this.peek().kind !== 'comma') return fields;
      after = this.next();
    }
  }
}

/** Tokens after which a word was a condition of its own, not a field before an operator. */
function endsCondition(token: Token): boolean {
  return (
    token.kind === 'eof' ||
    token.kind === 'rparen' ||
    isAnd(token) ||
    isOr(token) ||
    isKeyword(token, 'group')
  );
}
