/**
 * Idempotency keys derived from the input instead of drawn at random, so that running the same
 * input again (after a crash, a `kill -9`, a full disk, a Ctrl-C) stores nothing twice while the
 * service still remembers the keys (24 hours per org, docs/api.md "Ingest").
 *
 * A line's key is a digest of: the prefix (`--idempotency-key-prefix`, or a random one for
 * `--resend`), the input's identity, the line's number, and the entry the line became (so every
 * option that changes what is stored, `--source`, `--level`, `--meta`, `--format`…, changes the
 * key, and an option that changes nothing, such as the order of `--meta` flags, does not). Why
 * these, and not others, is in docs/reliability.md "Re-running an ingest".
 */
import { createHash, type Hash, randomBytes } from 'node:crypto';
import type { IngestEntry } from '../api/types.js';

/** The service's limit on an `Idempotency-Key` (docs/api.md). */
export const MAX_KEY_CHARS = 255;

/** Characters of the digest that ends every derived key (SHA-256 in base64url). */
export const DIGEST_CHARS = 43;

/** The longest `--idempotency-key-prefix`: the digest must still fit in a key. */
export const MAX_PREFIX_CHARS = MAX_KEY_CHARS - DIGEST_CHARS;

/** Bumped if what goes into a key ever changes, so old and new keys never meet by accident. */
const SCHEME = 'sotail-ingest/1';

/**
 * Where the lines come from, as far as keys are concerned: a file named on the command line is
 * identified by its full path; anything else (stdin, a pipe, `--file -`) only by its content.
 */
export type InputIdentity = { kind: 'file'; realPath: string } | { kind: 'stream' };

/** Visible ASCII, spaces inside only: the key travels in an HTTP header and must arrive unchanged. */
const KEY_TEXT = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

/** Why `key` cannot be sent as an `Idempotency-Key`, or undefined when it can. */
export function invalidKeyReason(key: string): string | undefined {
  if (key.length === 0 || key.length > MAX_KEY_CHARS) return `must be 1 to ${MAX_KEY_CHARS} characters`;
  if (!KEY_TEXT.test(key)) return 'must be printable ASCII, without spaces at either end';
  return undefined;
}

/** Why `prefix` cannot start derived keys, or undefined when it can. */
export function invalidPrefixReason(prefix: string): string | undefined {
  if (prefix.length === 0 || prefix.length > MAX_PREFIX_CHARS) {
    return `must be 1 to ${MAX_PREFIX_CHARS} characters (the key adds a ${DIGEST_CHARS}-character digest)`;
  }
  if (!/^[\x21-\x7e][\x20-\x7e]*$/.test(prefix)) return 'must be printable ASCII, without a leading space';
  return undefined;
}

/** A prefix nobody used before, for `--resend`: this run's keys meet no earlier run's. */
export function resendPrefix(): string {
  return `resend-${randomBytes(9).toString('base64url')}-`;
}

/** Derives the key of each line of one input. */
export type LineKeys = (lineNumber: number, entry: IngestEntry) => string;

/** Keys for the lines of one input, all starting with `prefix` (may be empty). */
export function lineKeys(input: InputIdentity, prefix = ''): LineKeys {
  const identity = input.kind === 'file' ? `file:${input.realPath}` : 'stream';
  const base = scoped(prefix, identity);
  return (lineNumber, entry) =>
    `${prefix}${base.copy().update(`${lineNumber}\n`).update(canonicalJson(entry)).digest('base64url')}`;
}

/** The key of a single entry given as arguments, under a prefix the user chose. */
export function entryKey(entry: IngestEntry, prefix: string): string {
  return `${prefix}${scoped(prefix, 'argument').update(canonicalJson(entry)).digest('base64url')}`;
}

function scoped(prefix: string, identity: string): Hash {
  // JSON keeps the parts apart (a prefix can hold any separator); entries never hold a raw newline.
  return createHash('sha256').update(`${JSON.stringify([SCHEME, prefix, identity])}\n`);
}

/**
 * JSON with every object's keys in sorted order, so that equal entries give equal text whatever
 * order their fields were written or merged in. Entries are at most 32 levels deep (checked
 * before they get here), so the recursion is bounded.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const child = record[key];
    if (child !== undefined) parts.push(`${JSON.stringify(key)}:${canonicalJson(child)}`);
  }
  return `{${parts.join(',')}}`;
}
