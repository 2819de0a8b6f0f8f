/**
 * The AND/OR/NOT structure of a filter as one generated function, `(e) => t0(e.ts) && !t1(…)`.
 *
 * Why: built from closures, every filter's `and` and field-reading nodes are instances of the same
 * few functions, so in a process that compiles many filters (the mock, a TUI refining as one
 * types) each of their call sites sees every test and every field and goes megamorphic; V8 then
 * inlines nothing. Generated code has call sites of its own per filter shape, each calling one
 * test, and reads top-level fields as plain property loads.
 *
 * Safety: nothing the user wrote enters the source. It is made only of fixed punctuation,
 * indices, and top-level field names taken from the fixed list of fields (and checked to be plain
 * identifiers); values, regexes and payload paths stay in the tests and accessors, passed in as
 * arrays. Filters too large to be worth it, or a runtime that forbids generating code, get
 * undefined and the caller builds closures instead.
 */
import type { Expr } from './ast.js';
import { accessorFor, type FieldAccessor, SOQL_FIELDS } from './fields.js';

/** Whether one event (a LogEvent-shaped object, `ts` an RFC 3339 string) passes a filter. */
export type EventPredicate = (event: Record<string, unknown>) => boolean;

/** A test of one field's value. */
export type ValueTest = (value: unknown) => boolean;

/** A condition: everything but the boolean structure. */
export type LeafExpr = Exclude<Expr, { kind: 'and' | 'or' | 'not' }>;

/** A condition as a test of one field's value, possibly negated (`!=`, `!~`). */
export interface Leaf {
  field: string;
  test: ValueTest;
  negated: boolean;
}

// Past these, the closures' loop is as good and the generated source would only grow.
const MAX_GENERATED_CONDITIONS = 64;
const MAX_GENERATED_DEPTH = 32;

const PLAIN_FIELDS: ReadonlySet<string> = new Set(
  SOQL_FIELDS.filter((field) => /^[a-z_][a-z0-9_]*$/.test(field)),
);

/** One function for the whole filter, or undefined to fall back to closures. Never throws. */
export function generatePredicate(expr: Expr, leafOf: (leaf: LeafExpr) => Leaf): EventPredicate | undefined {
  const tests: ValueTest[] = [];
  const readers: FieldAccessor[] = [];
  const read = (field: string): string => {
    if (PLAIN_FIELDS.has(field)) return `e.${field}`;
    readers.push(accessorFor(field));
    return `r${readers.length - 1}(e)`;
  };
  const emit = (node: Expr, depth: number): string | undefined => {
    if (depth > MAX_GENERATED_DEPTH) return undefined;
    if (node.kind === 'and' || node.kind === 'or') {
      const parts: string[] = [];
      for (const item of node.items) {
        const part = emit(item, depth + 1);
        if (part === undefined) return undefined;
        parts.push(part);
      }
      return `(${parts.join(node.kind === 'and' ? ' && ' : ' || ')})`;
    }
    if (node.kind === 'not') {
      const inner = emit(node.expr, depth + 1);
      return inner === undefined ? undefined : `!${inner}`;
    }
    if (tests.length === MAX_GENERATED_CONDITIONS) return undefined;
    const leaf = leafOf(node);
    tests.push(leaf.test);
    return `${leaf.negated ? '!' : ''}t${tests.length - 1}(${read(leaf.field)})`;
  };
  const body = emit(expr, 0);
  if (body === undefined) return undefined;
  // Each test and accessor gets a constant of its own, so every call site names one function.
  const bind = (name: string, count: number, array: string): string =>
    Array.from({ length: count }, (_, i) => `const ${name}${i} = ${array}[${i}];\n`).join('');
  const source = `'use strict';\n${bind('t', tests.length, 'tests')}${bind('r', readers.length, 'readers')}return function soqlFilter(e) { return ${body}; };`;
  try {
    const make = new Function('tests', 'readers', source) as (
      tests: ValueTest[],
      readers: FieldAccessor[],
    ) => EventPredicate;
    return make(tests, readers);
  } catch {
    // --disallow-code-generation-from-strings, or a content security policy: closures will do.
    return undefined;
  }
}
