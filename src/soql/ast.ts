/**
 * The syntax tree of a SOQL filter, as `parseQuery` returns it and `compileFilter` consumes it.
 *
 * The parser has already done all the checking that depends on the field: a value compared with
 * `severity` is a `severity` literal carrying its rank, one compared with `ts` a `time` literal
 * carrying epoch milliseconds, a regex has been tried once. So compiling never has to report an
 * error, and the tree stays plain JSON-able data (no RegExp, no Set) that tests can compare.
 */

/** Comparison operators as written canonically (`=` is parsed as `==`, keywords in lower case). */
export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | '~' | '!~' | 'contains' | 'startswith';

interface LiteralBase {
  /** 0-based offset of the value in the query (for messages about it). */
  position: number;
  /** The value as written, without quotes for strings, unescaped. */
  raw: string;
}

export type Literal =
  | (LiteralBase & { kind: 'string'; value: string })
  | (LiteralBase & { kind: 'number'; value: number })
  | (LiteralBase & { kind: 'boolean'; value: boolean })
  | (LiteralBase & { kind: 'null'; value: null })
  /** A severity name or alias compared with the `severity` field; `value` is the canonical name. */
  | (LiteralBase & { kind: 'severity'; value: string; rank: number })
  /** A time compared with `ts` or `ingested_at`, as epoch milliseconds. */
  | (LiteralBase & { kind: 'time'; value: number });

/** A field as the parser canonicalised it: `severity`, `source`, `payload.user.id`. */
export type FieldName = string;

export type Expr =
  /** Every item holds; chains are flattened so a long `a AND b AND c …` is one node, not a deep tree. */
  | { kind: 'and'; items: Expr[] }
  | { kind: 'or'; items: Expr[] }
  | { kind: 'not'; expr: Expr }
  | { kind: 'compare'; field: FieldName; op: CompareOp; value: Literal; position: number }
  | { kind: 'in'; field: FieldName; values: Literal[]; position: number }
  | { kind: 'exists'; field: FieldName; position: number }
  /** A bare quoted string: `message CONTAINS` it, ignoring case. */
  | { kind: 'fulltext'; text: string; position: number };
