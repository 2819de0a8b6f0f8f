/**
 * What compiling a query costs, counted rather than timed: every regex is compiled once (the
 * parser's check and the compiler share it, and so do later queries with the same pattern), the
 * query's limits stop a 64 KiB query of thousands of regexes at the 65th, and a server can compile
 * a query's regexes with its event loop free between them.
 */
import { createRequire } from 'node:module';
import type * as Re2js from 're2js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compileQuery, parseQuery, precompilePatterns } from '../../src/soql/index.js';
import { MAX_QUERY_PATTERNS } from '../../src/soql/parser.js';
import { MAX_REGEX_PROGRAM } from '../../src/soql/regex.js';
import { parseError } from './fixtures.js';

// The CommonJS build, which regex.ts loads: the ESM build is another copy of the module.
const { RE2JS } = createRequire(import.meta.url)('re2js') as typeof Re2js;

/** Counts RE2 compilations of patterns containing `marker` (other tests' patterns do not count). */
function countCompilations(marker: string): () => number {
  const spy = vi.spyOn(RE2JS, 'compile');
  return () => spy.mock.calls.filter(([pattern]) => String(pattern).includes(marker)).length;
}

afterEach(() => {
  vi.restoreAllMocks();
});

/** The query of the issue: `message ~ "(?i)err00000" OR …` up to 64 KiB (2,340 regexes). */
function bigRegexOr(marker: string, maxLength = 65_536): string {
  let query = '';
  for (let i = 0; ; i++) {
    const next = `${query}${query ? ' OR ' : ''}message ~ "(?i)${marker}${String(i).padStart(5, '0')}"`;
    if (next.length > maxLength) return query;
    query = next;
  }
}

describe('compiling a query', () => {
  it('compiles each distinct regex once, for the check and the predicate, and again never', () => {
    const compiled = countCompilations('once-');
    const query = Array.from({ length: 10 }, (_, i) => `message ~ "once-${i % 5}[0-9]+"`).join(' OR ');
    const { matches } = compileQuery(query);
    expect(matches({ message: 'once-342' })).toBe(true);
    expect(matches({ message: 'once-742' })).toBe(false);
    // Five distinct patterns: five compilations (the old code compiled each of the ten twice).
    expect(compiled()).toBe(5);
    compileQuery(query);
    compileQuery(`source == api AND message !~ "once-2[0-9]+"`);
    expect(compiled()).toBe(5);
  });

  it('stops the issue’s 64 KiB query of 2,340 regexes at the 65th, having compiled 64', () => {
    const query = bigRegexOr('stop');
    expect(query.length).toBeGreaterThan(65_000);
    const compiled = countCompilations('stop');
    const error = parseError(query);
    expect(error.message).toBe(
      `too many regexes and full-text strings: at most ${MAX_QUERY_PATTERNS} in one query`,
    );
    // At the 65th pattern's value, where the user can see it.
    const sixtyFifth = query.indexOf(`"(?i)stop${String(MAX_QUERY_PATTERNS).padStart(5, '0')}"`);
    expect(error.position).toBe(sixtyFifth);
    expect(compiled()).toBe(MAX_QUERY_PATTERNS);
  });

  it('counts full-text strings with regexes, and bounds the regexes’ programs together', () => {
    const mixed = [
      ...Array.from({ length: 40 }, (_, i) => `"text ${i}"`),
      ...Array.from({ length: 25 }, (_, i) => `message ~ "mixed${i}"`),
    ].join(' OR ');
    expect(parseError(mixed).message).toMatch(/too many regexes and full-text strings/);
    expect(() => parseQuery(mixed.slice(0, mixed.lastIndexOf(' OR ')))).not.toThrow();
    // Each alone is allowed (about 1,000 steps); together they pass the bound of one regex.
    const heavy = (i: number): string => `message ~ "[a-z]{${950 + i}}"`;
    expect(() => parseQuery(heavy(0))).not.toThrow();
    const error = parseError(`${heavy(0)} OR ${heavy(1)} OR ${heavy(2)}`);
    expect(error.message).toMatch(
      new RegExp(
        `regular expressions too complex together: \\d+ steps once compiled, at most ${MAX_REGEX_PROGRAM}`,
      ),
    );
    expect(error.position).toBe(`${heavy(0)} OR ${heavy(1)} OR message ~ `.length);
  });

  it('precompiles a query’s regexes in steps, pausing by the clock between them', async () => {
    const query = bigRegexOr('step', 1_500);
    const patterns = query.split(' OR ').length;
    const compiled = countCompilations('step');
    // A clock that moves 4 ms at every look: a 10 ms budget pauses after every third pattern.
    let clock = 0;
    const now = (): number => {
      clock += 4;
      return clock;
    };
    const order: string[] = [];
    let done = 0;
    const pause = async (): Promise<void> => {
      order.push(`pause after ${compiled() - done}`);
      done = compiled();
    };
    await precompilePatterns(query, pause, 10, now);
    expect(compiled()).toBe(patterns);
    expect(order.length).toBe(Math.floor(patterns / 3));
    expect(new Set(order)).toEqual(new Set(['pause after 3']));
    // Then compiling the query compiles nothing again.
    compileQuery(query);
    expect(compiled()).toBe(patterns);
  });
});
