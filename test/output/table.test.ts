import fc from 'fast-check';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { formatGroups } from '../../src/output/groups.js';
import { createPalette } from '../../src/output/palette.js';
import { SEVERITY_STYLES, severityStyle } from '../../src/output/severity-style.js';
import { formatStats } from '../../src/output/stats.js';
import { formatTable } from '../../src/output/table.js';
import { cutToWidth, displayWidth } from '../../src/output/text-width.js';

const plain = createPalette(0);

describe('text width', () => {
  it.each([
    ['ascii', 5],
    ['日本語', 6],
    ['🚀', 2],
    ['👩‍👩‍👧', 2],
    ['é', 1],
    ['e\u0301', 1],
    ['', 0],
  ])('%j takes %d columns', (text, width) => {
    expect(displayWidth(text)).toBe(width);
  });

  it('cuts whole characters to the width, with an ellipsis', () => {
    expect(cutToWidth('abcdef', 4)).toBe('abc…');
    expect(cutToWidth('日本語テキスト', 6)).toBe('日本…');
    expect(cutToWidth('👩‍👩‍👧👩‍👩‍👧👩‍👩‍👧', 4)).toBe('👩‍👩‍👧…');
    expect(cutToWidth('abc', 3)).toBe('abc');
  });
});

describe('formatTable', () => {
  const rows = [
    ['漢字のソース', 'a message that is rather long for a narrow terminal window'],
    ['api', '🚀 launched'],
  ];

  it('aligns wide characters and emoji by terminal columns', () => {
    const lines = formatTable(['SOURCE', 'MESSAGE'], rows);
    const start = (line: string, text: string) => stringWidth(line.slice(0, line.indexOf(text)));
    expect(start(lines[1]!, 'a message')).toBe(start(lines[0]!, 'MESSAGE'));
    expect(start(lines[2]!, '🚀')).toBe(start(lines[0]!, 'MESSAGE'));
  });

  it('fits a terminal width: every line cut, none wrapped', () => {
    for (const width of [20, 30, 45]) {
      const lines = formatTable(['SOURCE', 'MESSAGE'], rows, { maxWidth: width });
      for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(width);
      expect(lines.join('\n')).toContain('…');
    }
  });

  it('without a width (a pipe) keeps the last column whole', () => {
    expect(formatTable(['SOURCE', 'MESSAGE'], rows)[1]).toContain('narrow terminal window');
  });
});

describe('formatGroups', () => {
  const options = { palette: plain, keys: ['source', 'severity'] };

  it('names the group columns even when no group matched', () => {
    expect(formatGroups([], 'table', options)).toBe('SOURCE  SEVERITY  COUNT  SHARE\n');
    expect(formatGroups([], 'table', { ...options, headers: false })).toBe('');
  });

  it('paints a severity key in its level colour', () => {
    const groups = [{ key: { severity: 'warn' }, count: 2 }];
    const text = formatGroups(groups, 'table', { palette: createPalette(1), keys: ['severity'] });
    expect(text).toContain('\u001b[33mwarn\u001b[39m');
  });

  it('raw: count then key values, tab-separated', () => {
    const groups = [{ key: { source: 'api', severity: 'error' }, count: 3 }];
    expect(formatGroups(groups, 'raw', options)).toBe('3\tapi\terror\n');
  });
});

describe('one severity style table', () => {
  it('styles every severity and alias, and nothing else', () => {
    expect(severityStyle('WARNING')).toBe(SEVERITY_STYLES.warn);
    expect(severityStyle('fatal')).toBe(SEVERITY_STYLES.critical);
    expect(severityStyle('trace')).toBeUndefined();
    expect(SEVERITY_STYLES.critical).toMatchObject({ color: 'white', backgroundColor: 'red', bold: true });
    expect(SEVERITY_STYLES.debug).toMatchObject({ dim: true });
    expect(SEVERITY_STYLES.info.color).toBeUndefined();
  });

  it('paints the severity table of stats from it', () => {
    const stats = { total: 2, bySeverity: { notice: 1, critical: 1 }, bySource: {}, byDataset: {} };
    const text = formatStats(stats, createPalette(1));
    expect(text).toContain('\u001b[36mnotice\u001b[39m');
    expect(text.replace(/\u001b\[[0-9;]*m/g, '')).toBe(formatStats(stats, plain));
  });
});

describe('tables on hostile text', () => {
  it('never exceed the width, whatever the cells hold', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.string({ unit: 'grapheme', maxLength: 40 }),
            fc.string({ unit: 'binary', maxLength: 80 }),
          ),
          {
            maxLength: 5,
          },
        ),
        fc.integer({ min: 20, max: 120 }),
        (rows, width) => {
          const lines = formatTable(['SOURCE', 'MESSAGE'], rows, { maxWidth: width });
          for (const line of lines) {
            expect(line).not.toMatch(/[\n\r\u001b]/);
            expect(displayWidth(line)).toBeLessThanOrEqual(width);
          }
        },
      ),
    );
  });
});
