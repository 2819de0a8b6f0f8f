import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { renderCaret } from '../../src/soql/index.js';

describe('renderCaret', () => {
  it.each([
    ['source == ', 10, 'source == \n          ^'],
    ['sevrity >= warn', 0, 'sevrity >= warn\n^'],
    ['a == b', 99, 'a == b\n      ^'],
    ['a == b', -3, 'a == b\n^'],
    ['a == b', Number.NaN, 'a == b\n^'],
    ['', 0, '\n^'],
    // a tab or CR is shown as one space so the caret stays under its character
    ['a\t== "b\r"', 3, 'a == "b "\n   ^'],
    // only the line holding the position
    ['source == api\nAND sevrity > 1', 18, 'AND sevrity > 1\n    ^'],
    ['source == api\nAND sevrity > 1', 7, 'source == api\n       ^'],
    ['source == api\n', 14, '\n^'],
    // code points, not UTF-16 units, before the caret
    ['"😀é" x', 5, '"😀é" x\n    ^'],
  ])('%j at %d', (query, position, expected) => {
    expect(renderCaret(query, position)).toBe(expected);
  });

  // The terminal's columns: CJK and emoji take two, combining accents none, a family emoji two.
  it.each([
    ['source == 日本語 x', 14, 'source == 日本語 x\n                 ^'],
    ['"😀😀" x', 6, '"😀😀" x\n      ^'],
    ['"e\u0301e\u0301" x', 6, '"e\u0301e\u0301" x\n    ^'],
    ['"👨‍👩‍👧" x', 11, '"👨‍👩‍👧" x\n     ^'],
    // a position inside a character points at the whole character
    ['"😀" x', 2, '"😀" x\n ^'],
  ])('%j at %d, in terminal columns', (query, position, expected) => {
    expect(renderCaret(query, position, stringWidth)).toBe(expected);
  });

  it('cuts a wide line by columns, keeping the caret under its character', () => {
    const query = `${'字'.repeat(60)}X${'字'.repeat(60)}`;
    const [line, caret] = renderCaret(query, 60, stringWidth).split('\n') as [string, string];
    expect(stringWidth(line)).toBeLessThanOrEqual(80);
    expect(line.startsWith('…') && line.endsWith('…')).toBe(true);
    const beforeCaret = stringWidth(caret) - 1;
    const columnsBeforeX = stringWidth(line.slice(0, line.indexOf('X')));
    expect(beforeCaret).toBe(columnsBeforeX);
  });

  it('cuts a long line around the position with ellipses', () => {
    const query = `${'a'.repeat(100)}X${'b'.repeat(99)}`;
    const [line, caret] = renderCaret(query, 100).split('\n') as [string, string];
    expect(line).toBe(`…${query.slice(61, 139)}…`);
    expect(line).toHaveLength(80);
    expect(caret).toBe(`${' '.repeat(40)}^`);
    expect(line[caret.length - 1]).toBe('X');
  });

  it('keeps the start or the end of a long line when the position is near it', () => {
    const query = `X${'a'.repeat(200)}Y`;
    expect(renderCaret(query, 0)).toBe(`X${'a'.repeat(77)}…\n^`);
    expect(renderCaret(query, 201)).toBe(`…${'a'.repeat(77)}Y\n${' '.repeat(78)}^`);
    expect(renderCaret(query, 202)).toBe(`…${'a'.repeat(77)}Y\n${' '.repeat(79)}^`);
  });
});
