import { describe, expect, it } from 'vitest';
import { createPalette } from '../../src/output/palette.js';
import { formatPrettyEvent, formatValue } from '../../src/output/pretty.js';

const plain = createPalette(0);
const base = {
  event_id: '0192abcd-1234-7567-89ab-cdef01234567',
  ts: '2026-05-17T10:00:00.123Z',
  severity: 'error',
  event: 'player_kick',
  actor: 'admin:Mitch',
  source: 'fivem',
  message: 'VAC kick',
  payload: { target: '1337' },
  bytes_raw: 128,
};

describe('formatPrettyEvent', () => {
  it('shows a time no date can hold as it was written, instead of failing the whole output', () => {
    for (const tsMs of [1e300, -8.7e15]) {
      const line = formatPrettyEvent(
        { tsMs, severity: 'info', message: 'odd' },
        {
          palette: plain,
          timeStyle: 'time',
        },
      );
      expect(line).toBe(`${String(tsMs)} INFO  -            odd`);
    }
  });

  it.each([
    [
      'full time',
      base,
      'full',
      '2026-05-17 10:00:00.123Z ERROR fivem        VAC kick event=player_kick actor=admin:Mitch target=1337',
    ],
    [
      'time only',
      base,
      'time',
      '10:00:00.123Z ERROR fivem        VAC kick event=player_kick actor=admin:Mitch target=1337',
    ],
    [
      'proxy-log shape (level, tsMs, serviceName, a request line from url)',
      { level: 'warn', tsMs: 1718201234000, serviceName: 'user-api', url: '/v1/users', id: 7 },
      'time',
      // The message is derived from url (a request line): url stays among the fields, as in the
      // display record a --url stream's lines are made from.
      '14:07:14.000Z WARN  user-api     /v1/users url=/v1/users id=7',
    ],
    [
      'audit shape (warning, created_at; actor_label is who acted, not the source)',
      {
        severity: 'warning',
        created_at: '2026-01-15T08:00:00Z',
        actor_label: 'alice',
        message: 'role granted',
      },
      'time',
      '08:00:00.000Z WARN  -            role granted actor_label=alice',
    ],
    [
      'audit shape with its service in metadata',
      {
        severity: 'warning',
        created_at: '2026-01-15T08:00:00Z',
        actor_label: 'alice',
        message: 'role granted',
        metadata: { source: 'auth' },
      },
      'time',
      '08:00:00.000Z WARN  auth         role granted actor_label=alice metadata={"source":"auth"}',
    ],
    ['missing everything', { foo: 'bar baz' }, 'time', '-             -     -             foo="bar baz"'],
  ] as const)('%s', (_name, event, timeStyle, expected) => {
    expect(formatPrettyEvent(event as Record<string, unknown>, { palette: plain, timeStyle })).toBe(expected);
  });

  it('--fields selects: only the chosen fields, in their order, the common ones styled as usual', () => {
    const pick = (fields: string[]) => formatPrettyEvent(base, { palette: plain, timeStyle: 'time', fields });
    expect(pick(['payload.target', 'actor'])).toBe('payload.target=1337 actor=admin:Mitch');
    expect(pick(['severity', 'message'])).toBe('ERROR VAC kick');
    expect(pick(['message', 'ts'])).toBe('VAC kick 10:00:00.123Z');
    expect(pick(['payload.missing'])).toBe('');
  });

  it('shows local time when asked, the same way in both styles', () => {
    const previous = process.env.TZ;
    process.env.TZ = 'Asia/Kolkata'; // +05:30, no daylight saving: the same on every date
    try {
      const line = (timeStyle: 'full' | 'time') =>
        formatPrettyEvent(base, { palette: plain, timeStyle, timeZone: 'local' });
      expect(line('full')).toMatch(/^2026-05-17 15:30:00\.123 ERROR /);
      expect(line('time')).toMatch(/^15:30:00\.123 ERROR /);
    } finally {
      if (previous === undefined) delete process.env.TZ;
      else process.env.TZ = previous;
    }
  });

  it('levels share one style table: debug dim, info plain, notice cyan, warn yellow, error red, critical bold on red', () => {
    const palette = createPalette(1);
    const level = (severity: string) =>
      formatPrettyEvent({ ...base, severity, payload: {} }, { palette, timeStyle: 'time' }).split(' ')[1];
    expect(level('debug')).toBe('\u001b[2mDEBUG\u001b[22m');
    expect(level('info')).toBe('INFO');
    expect(level('notice')).toBe('\u001b[36mNOTE\u001b[39m');
    expect(level('warning')).toBe('\u001b[33mWARN\u001b[39m');
    expect(level('ERR')).toBe('\u001b[31mERROR\u001b[39m');
    expect(level('fatal')).toBe('\u001b[37m\u001b[41m\u001b[1mCRIT\u001b[22m\u001b[49m\u001b[39m');
  });

  it('keeps one line per event and neutralises terminal escapes in untrusted text', () => {
    const line = formatPrettyEvent(
      { ...base, message: 'line1\nline2 \u001b]0;pwned\u0007 \u001b[2J', payload: {} },
      { palette: plain, timeStyle: 'time' },
    );
    expect(line).not.toMatch(/[\n\u001b\u0007]/);
    expect(line).toContain('line1\\nline2 \\x1b]0;pwned\\x07 \\x1b[2J');
  });

  it('colours the level when colour is on, and only then', () => {
    const coloured = formatPrettyEvent(base, { palette: createPalette(1), timeStyle: 'time' });
    expect(coloured).toContain('\u001b[31mERROR\u001b[39m');
    expect(formatPrettyEvent(base, { palette: plain, timeStyle: 'time' })).not.toContain('\u001b');
  });

  it('cuts a huge payload summary', () => {
    const line = formatPrettyEvent(
      { ...base, payload: { blob: 'x'.repeat(5000) } },
      { palette: plain, timeStyle: 'time', maxExtraChars: 50 },
    );
    expect(line.endsWith('…')).toBe(true);
    expect(line.length).toBeLessThan(120);
  });
});

describe('formatValue', () => {
  it.each([
    ['plain', 'plain'],
    ['with space', '"with space"'],
    [42, '42'],
    [true, 'true'],
    [{ a: 1 }, '{"a":1}'],
    [null, 'null'],
  ])('%j → %s', (value, expected) => {
    expect(formatValue(value)).toBe(expected);
  });
});

import { formatStats } from '../../src/output/stats.js';

describe('formatStats', () => {
  it('colours severity names without breaking the columns', () => {
    const stats = { total: 3, bySeverity: { error: 2, critical: 1 }, bySource: {}, byDataset: {} };
    const coloured = formatStats(stats, createPalette(1));
    expect(coloured).not.toContain('\\x1b');
    const plainText = coloured.replace(/\u001b\[[0-9;]*m/g, '');
    expect(plainText).toBe(formatStats(stats, plain));
    expect(plainText).toContain('error     2      66.7%');
  });
});
