import { PassThrough } from 'node:stream';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import {
  createEventOutput,
  type FormatOptions,
  loadFormatter,
  OUTPUT_FORMATS,
  type OutputFormat,
} from '../../src/output/event-output.js';
import { createPalette } from '../../src/output/palette.js';
import { OutputWriter } from '../../src/output/writer.js';

const events = [
  {
    ts: '2026-05-17T10:00:00.000Z',
    severity: 'info',
    source: 'api',
    message: 'hello',
    payload: { user: 'u1' },
  },
  { ts: '2026-05-17T10:00:01.000Z', severity: 'error', source: 'web-frontend', message: 'boom', payload: {} },
];

type Options = Partial<FormatOptions>;

/** What a query's output was before one output served tail and query alike: dates, UTC, a pipe. */
const QUERY_DEFAULTS: FormatOptions = {
  palette: createPalette(0),
  timeStyle: 'full',
  timeZone: 'utc',
  terminal: false,
};

/** The output of `list`, written one event per batch (or all in one batch), then ended. */
async function render(
  format: OutputFormat,
  list: Record<string, unknown>[] = events,
  fields?: string[],
  extra: Options = {},
  batches: 'one by one' | 'all at once' = 'one by one',
): Promise<string> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const formatter = await loadFormatter(format, { ...QUERY_DEFAULTS, fields, ...extra });
  const output = createEventOutput(new OutputWriter(stream), formatter);
  if (batches === 'all at once') await output.write(list.map((event) => ({ event })));
  else for (const event of list) await output.write([{ event }]);
  await output.end();
  return Buffer.concat(chunks).toString('utf8');
}

describe('createEventOutput', () => {
  it('ndjson: one JSON object per line, fields projected by path', async () => {
    expect(await render('ndjson')).toBe(`${events.map((e) => JSON.stringify(e)).join('\n')}\n`);
    expect(await render('ndjson', events, ['severity', 'payload.user'])).toBe(
      '{"severity":"info","payload.user":"u1"}\n{"severity":"error"}\n',
    );
  });

  it('json: one valid array, also when empty', async () => {
    expect(JSON.parse(await render('json'))).toEqual(events);
    expect(await render('json', [])).toBe('[]\n');
  });

  it('table: a header and aligned columns, times as in pretty lines', async () => {
    expect(await render('table')).toBe(
      [
        'TS                        SEVERITY  SOURCE        MESSAGE',
        '2026-05-17 10:00:00.000Z  info      api           hello',
        '2026-05-17 10:00:01.000Z  error     web-frontend  boom',
        '',
      ].join('\n'),
    );
    const pretty = await render('pretty');
    expect(pretty.startsWith('2026-05-17 10:00:00.000Z ')).toBe(true);
  });

  it('table: the severity column in its level colour, the columns still aligned', async () => {
    const text = await render('table', events, undefined, { palette: createPalette(1) });
    expect(text).toContain('\u001b[31merror\u001b[39m');
    expect(text.replace(/\u001b\[[0-9;]*m/g, '')).toBe(await render('table'));
  });

  it('table: --no-headers leaves the header out', async () => {
    expect(await render('table', events, undefined, { headers: false })).toBe(
      [
        '2026-05-17 10:00:00.000Z  info   api           hello',
        '2026-05-17 10:00:01.000Z  error  web-frontend  boom',
        '',
      ].join('\n'),
    );
  });

  it('table: rows are cut to the terminal width, never wrapped, measuring wide characters', async () => {
    const wide = [
      {
        ts: '2026-05-17T10:00:00.000Z',
        severity: 'info',
        source: '支払い',
        message: `注文 🚀 ${'x'.repeat(200)}`,
      },
      { ts: '2026-05-17T10:00:01.000Z', severity: 'warn', source: 'api', message: 'short' },
    ];
    const text = await render('table', wide, undefined, { maxWidth: 60 });
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(60);
    expect(lines[1]).toMatch(/^2026-05-17 10:00:00\.000Z {2}info {6}支払い {2}注文 🚀 x+…$/);
    // Columns line up in terminal columns: the message starts at the same column on every row.
    const column = (line: string, text: string) => stringWidth(line.slice(0, line.indexOf(text)));
    expect(column(lines[1]!, '注文')).toBe(column(lines[2]!, 'short'));
    // A pipe gets every character.
    expect(await render('table', wide)).toContain('x'.repeat(200));
  });

  it('raw: the message alone, verbatim to a pipe and escaped for a terminal', async () => {
    const list = [{ ...events[0], message: 'a\u001b[2Jb' }, events[1]!];
    expect(await render('raw', list)).toBe('a\u001b[2Jb\nboom\n');
    expect(await render('raw', list, undefined, { terminal: true })).toBe('a\\x1b[2Jb\nboom\n');
  });

  it('pretty: one line per event', async () => {
    const text = await render('pretty');
    expect(text.split('\n')).toHaveLength(3);
    expect(text).toContain('ERROR web-frontend boom');
  });

  it('rejects an unknown format', async () => {
    await expect(loadFormatter('xml' as OutputFormat, QUERY_DEFAULTS)).rejects.toThrow(
      /unknown output format/,
    );
  });

  it.each(OUTPUT_FORMATS)(
    '%s: the same output whether events come one by one or in one batch',
    async (format) => {
      for (const fields of [undefined, ['severity', 'payload.user']]) {
        if (format === 'raw' && fields) continue;
        expect(await render(format, events, fields, {}, 'all at once')).toBe(
          await render(format, events, fields, {}, 'one by one'),
        );
      }
    },
  );

  it('table on an endless stream: a flush starts the table with the rows it has', async () => {
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    const output = createEventOutput(new OutputWriter(stream), await loadFormatter('table', QUERY_DEFAULTS));
    await output.write([{ event: events[0]! }]);
    await output.flush();
    const first = Buffer.concat(chunks).toString('utf8');
    expect(first).toBe(
      [
        'TS                        SEVERITY  SOURCE  MESSAGE',
        '2026-05-17 10:00:00.000Z  info      api     hello',
        '',
      ].join('\n'),
    );
    await output.write([{ event: events[1]! }]);
    await output.end();
    // Later rows keep the widths the first batch set (the last column is never cut to a pipe).
    expect(Buffer.concat(chunks).toString('utf8').slice(first.length)).toBe(
      '2026-05-17 10:00:01.000Z  error     web-f…  boom\n',
    );
  });

  it('json on an endless stream: the array is closed when the output ends', async () => {
    const text = await render('json', events.slice(0, 1));
    expect(JSON.parse(text)).toEqual(events.slice(0, 1));
  });
});
