/**
 * `--highlight`: matches marked in what a line shows, the line's own colours untouched, never a
 * mark inside an escape sequence, RE2 patterns only.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileHighlighter,
  HIGHLIGHT_OFF,
  HIGHLIGHT_ON,
  type Highlighter,
  highlightLine,
} from '../../src/output/highlight.js';
import { createPalette } from '../../src/output/palette.js';
import { formatPrettyEvent } from '../../src/output/pretty.js';

const SGR = /\u001b\[[0-9;]*m/g;
const on = HIGHLIGHT_ON;
const off = HIGHLIGHT_OFF;

function highlighter(...patterns: string[]): Highlighter {
  const result = compileHighlighter(patterns);
  if ('error' in result) throw new Error(result.error);
  return result;
}

describe('highlightLine', () => {
  it.each([
    ['one match', ['time'], 'a timeout here', `a ${on}time${off}out here`],
    ['every match', ['o'], 'foo', `f${on}oo${off}`],
    ['(?i) and classes', ['(?i)err(or)?'], 'ERROR: err', `${on}ERROR${off}: ${on}err${off}`],
    ['overlapping patterns join', ['tim', 'meo'], 'timeout', `${on}timeo${off}ut`],
    ['no match: the line as it is', ['zzz'], 'abc', 'abc'],
    ['empty matches mark nothing', ['x*'], 'abc', 'abc'],
    ['astral characters stay whole', ['é'], '😀é😀', `😀${on}é${off}😀`],
  ])('%s', (_name, patterns, line, expected) => {
    expect(highlightLine(line, highlighter(...patterns))).toBe(expected);
  });

  it('keeps the line`s colours: marks go between visible characters, never inside a sequence', () => {
    const red = '\u001b[31m';
    const reset = '\u001b[39m';
    const line = `${red}error${reset} disk full`;
    expect(highlightLine(line, highlighter('or d'))).toBe(`${red}err${on}or${reset} d${off}isk full`);
    // The sequence's own text is not searched.
    expect(highlightLine(line, highlighter('31m'))).toBe(line);
  });

  it('a critical line keeps its red background after a match (reverse video is its own attribute)', () => {
    const palette = createPalette(1);
    const line = formatPrettyEvent(
      { ts: '2026-05-17T10:00:00.000Z', severity: 'critical', source: 'db', message: 'disk full on db-1' },
      { palette, timeStyle: 'time', timeZone: 'utc' },
    );
    const marked = highlightLine(line, highlighter('full'));
    expect(marked.replaceAll(on, '').replaceAll(off, '')).toBe(line);
    // Only SGR 7 and 27 were added: nothing that resets a colour or the weight.
    expect(marked.match(SGR)?.filter((code) => !line.includes(code))).toEqual([on, off]);
  });

  it('for any line and pattern: the same text once the marks are taken out, marks only between visible characters', () => {
    const piece = fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.constantFrom('\u001b[31m', '\u001b[39m', '\u001b[1;41m', '\u001b[2m', '\u001b[22m', '😀', 'é'),
    );
    const line = fc.array(piece, { maxLength: 12 }).map((pieces) => pieces.join(''));
    const pattern = fc.constantFrom('a', 'b+', '(?i)e', '.', '[0-9]+', '\\[', 'm', ';', '\\x1b', '31');
    fc.assert(
      fc.property(line, fc.array(pattern, { minLength: 1, maxLength: 3 }), (text, patterns) => {
        const marked = highlightLine(text, highlighter(...patterns));
        expect(marked.replaceAll(on, '').replaceAll(off, '')).toBe(text);
        // Every original escape sequence is still whole.
        expect(marked.replaceAll(on, '').replaceAll(off, '').match(SGR) ?? []).toEqual(text.match(SGR) ?? []);
        const visible = (s: string) => s.replace(SGR, '');
        expect(visible(marked)).toBe(visible(text));
        expect(marked.split(on).length).toBe(marked.split(off).length);
      }),
    );
  });
});

describe('compileHighlighter', () => {
  it.each([
    ['(a', /missing closing \)/],
    ['(a)\\1', /backreferences need backtracking/],
    ['x'.repeat(1_001), /too long/],
  ])('refuses %j, saying why', (pattern, message) => {
    const result = compileHighlighter(['ok', pattern]);
    expect(result).toMatchObject({ pattern });
    expect('error' in result && result.error).toMatch(message);
  });

  it('gives ranges for a caller that draws its own marks (the live view)', () => {
    expect(highlighter('b', 'cd').ranges('abcde')).toEqual([[1, 4]]);
  });
});
