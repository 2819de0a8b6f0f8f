import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IngestEntry } from '../../src/api/types.js';
import {
  canonicalJson,
  DIGEST_CHARS,
  entryKey,
  invalidKeyReason,
  invalidPrefixReason,
  lineKeys,
  MAX_KEY_CHARS,
  MAX_PREFIX_CHARS,
  resendPrefix,
} from '../../src/ingest/idempotency.js';

const stream = { kind: 'stream' } as const;
const entry: IngestEntry = {
  level: 'info',
  message: 'disk full',
  source: 'api',
  meta: { host: 'a', pct: 93 },
};

describe('idempotency keys derived from the input', () => {
  it('are the same on every run: same input, same line, same entry, same key', () => {
    expect(lineKeys(stream)(7, entry)).toBe(lineKeys(stream)(7, { ...entry }));
    expect(lineKeys({ kind: 'file', realPath: '/var/log/app.log' })(7, entry)).toBe(
      lineKeys({ kind: 'file', realPath: '/var/log/app.log' })(7, entry),
    );
  });

  it('differ by line number (two equal lines are two events), entry, input and prefix', () => {
    const keys = new Set([
      lineKeys(stream)(7, entry),
      lineKeys(stream)(8, entry),
      lineKeys(stream)(7, { ...entry, source: 'web' }),
      lineKeys(stream)(7, { ...entry, level: 'warn' }),
      lineKeys(stream)(7, { ...entry, meta: { host: 'b', pct: 93 } }),
      lineKeys({ kind: 'file', realPath: '/var/log/app.log' })(7, entry),
      lineKeys({ kind: 'file', realPath: '/var/log/app.log.1' })(7, entry),
      lineKeys(stream, 'job-1-')(7, entry),
      lineKeys(stream, 'job-2-')(7, entry),
      entryKey(entry, 'job-1-'),
    ]);
    expect(keys.size).toBe(10);
  });

  it('do not depend on the order fields were written or merged in (a reordered --meta is the same entry)', () => {
    const reordered: IngestEntry = {
      meta: { pct: 93, host: 'a' },
      source: 'api',
      message: 'disk full',
      level: 'info',
    };
    expect(lineKeys(stream)(1, reordered)).toBe(lineKeys(stream)(1, entry));
    expect(entryKey(reordered, 'p')).toBe(entryKey(entry, 'p'));
  });

  it('start with the prefix, end with a fixed-size digest, and always fit an Idempotency-Key header', () => {
    const longest = 'x'.repeat(MAX_PREFIX_CHARS);
    const key = lineKeys(stream, longest)(1, entry);
    expect(key.startsWith(longest)).toBe(true);
    expect(key).toHaveLength(MAX_KEY_CHARS);
    expect(invalidKeyReason(key)).toBeUndefined();
    expect(lineKeys(stream)(1, entry)).toMatch(new RegExp(`^[A-Za-z0-9_-]{${DIGEST_CHARS}}$`));
  });

  it('a prefix is never confused with the digest after it ("ab"+"c…" and "a"+"bc…" are different scopes)', () => {
    const a = lineKeys(stream, 'a')(1, entry);
    const ab = lineKeys(stream, 'ab')(1, entry);
    expect(a.slice(1)).not.toBe(ab.slice(2));
  });

  it('--resend draws a prefix no earlier run used', () => {
    const prefixes = new Set(Array.from({ length: 100 }, resendPrefix));
    expect(prefixes.size).toBe(100);
    for (const prefix of prefixes) expect(invalidPrefixReason(prefix)).toBeUndefined();
  });

  it('refuses keys and prefixes a header would not carry unchanged', () => {
    expect(invalidKeyReason('')).toMatch(/1 to 255/);
    expect(invalidKeyReason('k'.repeat(256))).toMatch(/1 to 255/);
    expect(invalidKeyReason(' padded')).toMatch(/printable ASCII/);
    expect(invalidKeyReason('line\nbreak')).toMatch(/printable ASCII/);
    expect(invalidKeyReason('café')).toMatch(/printable ASCII/);
    expect(invalidKeyReason('deploy 42')).toBeUndefined();
    expect(invalidPrefixReason('p'.repeat(MAX_PREFIX_CHARS + 1))).toMatch(/1 to 212/);
    expect(invalidPrefixReason('job 7 ')).toBeUndefined();
    expect(invalidPrefixReason('\u001b[2J')).toMatch(/printable ASCII/);
  });

  it('fuzz: canonical JSON is the same value as JSON, whatever the key order', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (value) => {
        const text = canonicalJson(value);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
        const shuffled = JSON.parse(JSON.stringify(value), (_key, v: unknown) =>
          v !== null && typeof v === 'object' && !Array.isArray(v)
            ? Object.fromEntries(Object.entries(v).reverse())
            : v,
        ) as unknown;
        expect(canonicalJson(shuffled)).toBe(text);
      }),
    );
  });
});
