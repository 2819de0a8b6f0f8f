/**
 * `-o template=…`: the grammar, the fields of the one table and of the filter language, the
 * functions, the errors with a caret, and what a terminal gets (escapes, colours) against a pipe.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import type { FormatOptions, OutputEvent } from '../../src/output/event-format.js';
import { createFormatter } from '../../src/output/format-template.js';
import { createPalette } from '../../src/output/palette.js';

const EVENT = {
  event_id: '019b2f4e-8a0c-7b1e-9d3a-5c1e2f3a4b5c',
  ts: '2026-05-17T10:00:00.123Z',
  severity: 'error',
  source: 'payments',
  actor: 'user:alice',
  message: 'charge declined',
  payload: { order_id: 'ord_1', amount: 1200, tags: ['a', 'b'], card: { brand: 'visa' } },
};

const PIPE: FormatOptions = {
  palette: createPalette(0),
  timeStyle: 'full',
  timeZone: 'utc',
  terminal: false,
};

async function render(
  template: string,
  events: OutputEvent[] = [{ event: EVENT }],
  options: Partial<FormatOptions> = {},
): Promise<string> {
  const formatter = await createFormatter({ ...PIPE, ...options, argument: template });
  const out = formatter.format(events);
  return typeof out === 'string' ? out : Buffer.from(out).toString('utf8');
}

async function problem(template: string): Promise<string> {
  const error = await createFormatter({ ...PIPE, argument: template }).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(UsageError);
  const usage = error as UsageError;
  // As stderr shows it: the message, the template and its caret (details), the hint.
  return [usage.message, ...usage.details, `hint: ${usage.hint}`].join('\n');
}

describe('template fields', () => {
  it.each([
    [
      '{{ts}} {{severity}} {{source}}: {{message}}',
      '2026-05-17 10:00:00.123Z error payments: charge declined',
    ],
    ['{{payload.order_id}} {{meta.amount}} {{payload.card.brand}} {{payload.tags.1}}', 'ord_1 1200 visa b'],
    [
      '{{level}}/{{service}}/{{msg}}/{{actor}}/{{event_id}}',
      `error/payments/charge declined/user:alice/${EVENT.event_id}`,
    ],
    ['[{{payload.missing}}][{{dataset}}][{{stream}}]', '[][][]'],
    ['{{ Level }} {{  message  }}', 'error charge declined'],
    ['{{payload.card}} {{payload.tags}}', '{"brand":"visa"} ["a","b"]'],
  ])('%s', async (template, line) => {
    expect(await render(template)).toBe(`${line}\n`);
  });

  it('reads every stream shape through the one field table', async () => {
    const proxy = {
      tsIso: '2026-05-17T10:00:00.123Z',
      level: 'WARNING',
      serviceName: 'api',
      url: '/v1',
      status: 404,
    };
    expect(await render('{{ts}} {{severity}} {{source}} {{message}}', [{ event: proxy }])).toBe(
      '2026-05-17 10:00:00.123Z warn api /v1 404\n',
    );
  });

  it('shows the stream label of an event that has one', async () => {
    expect(await render('{{stream}}: {{message}}', [{ event: EVENT, stream: 'edge' }])).toBe(
      'edge: charge declined\n',
    );
  });

  it('shows times as pretty lines do: local on a terminal, the time of day for a live tail', async () => {
    const previous = process.env.TZ;
    process.env.TZ = 'Asia/Kolkata';
    try {
      expect(await render('{{ts}}', undefined, { timeZone: 'local' })).toBe('2026-05-17 15:30:00.123\n');
      expect(await render('{{ts}}', undefined, { timeStyle: 'time' })).toBe('10:00:00.123Z\n');
    } finally {
      process.env.TZ = previous;
    }
  });
});

describe('template functions', () => {
  it.each([
    [
      '{{payload.card | json}} {{message | json}} [{{payload.none | json}}]',
      '{"brand":"visa"} "charge declined" []',
    ],
    ['{{severity | upper}} {{source | upper | lower}}', 'ERROR payments'],
    ['[{{severity | pad 7}}][{{source | pad 2}}]', '[error  ][payments]'],
    ['[{{message | trunc 6}}]', '[charg…]'],
    ['[{{message|trunc 6|pad 8}}]', '[charg…  ]'],
  ])('%s', async (template, line) => {
    expect(await render(template)).toBe(`${line}\n`);
  });

  it('pads and cuts in terminal columns (CJK takes two)', async () => {
    const wide = { ...EVENT, source: '支払い' };
    expect(await render('[{{source | pad 8}}][{{source | trunc 5}}]', [{ event: wide }])).toBe(
      '[支払い  ][支払…]\n',
    );
  });
});

describe('template text', () => {
  it.each([
    ['{{severity}}\\t{{source}}', 'error\tpayments\n'],
    ['{{message}}\\n  {{payload.order_id}}', 'charge declined\n  ord_1\n'],
    ['{{message}}\\n', 'charge declined\n'],
    ['\\{{literal}} and \\\\ and \\x', '{{literal}} and \\ and \\x\n'],
    ['{ single } braces', '{ single } braces\n'],
  ])('%j', async (template, out) => {
    expect(await render(template)).toBe(out);
  });
});

describe('template mistakes: a usage error with a caret', () => {
  it.each([
    [
      '{{ts}} {{sevrity}}',
      "unknown field 'sevrity' — did you mean 'severity'?\n  {{ts}} {{sevrity}}\n           ^",
    ],
    ['{{strem}}', "did you mean 'stream'?"],
    ['{{ts}} {{message', "'{{' is never closed with '}}'\n  {{ts}} {{message\n         ^"],
    ['{{source.x}}', "'source' has no fields inside it"],
    ['{{payload..x}}', 'has an empty key'],
    ['{{}}', 'a field name is missing'],
    ['{{ts}\\t{{msg}}', "a field ends with '}}': 'ts' is followed by '}'"],
    ['{{message | uper}}', "unknown function 'uper' — did you mean 'upper'?"],
    ['{{message | pad}}', 'pad takes one width, a whole number: pad 12'],
    ['{{message | json 2}}', 'json takes no argument'],
    ['{{message |}}', "a function is missing after '|'"],
    ['{{nothing}}', 'aliases: level, service, msg, meta, meta.<key>'],
  ])('%j', async (template, message) => {
    expect(await problem(template)).toContain(message);
  });

  it('shows a template that holds control characters escaped, the caret still under the spot', async () => {
    expect(await problem('\u001b[2J{{bad}}')).toContain('  \\x1b[2J{{bad}}\n           ^');
  });

  it('never throws anything but a usage error, whatever the template', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.string({ maxLength: 6 }),
            fc.constantFrom('{{', '}}', '|', '\\', 'ts', ' pad 3', 'json'),
          ),
          {
            maxLength: 10,
          },
        ),
        async (pieces) => {
          const template = pieces.join('');
          try {
            const formatter = await createFormatter({ ...PIPE, argument: template });
            expect(typeof formatter.format([{ event: EVENT }, { event: {} }])).toBe('string');
          } catch (error) {
            expect(error).toBeInstanceOf(UsageError);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('a template on a terminal', () => {
  const hostile = { ...EVENT, message: 'boom\u001b[2J\nnext', source: 'pay\u202ements' };

  it('escapes every value (peer text never drives the terminal), keeps its own line breaks and tabs', async () => {
    expect(await render('{{source}}\\t{{message}}', [{ event: hostile }], { terminal: true })).toBe(
      'pay\\u202ements\tboom\\x1b[2J\\nnext\n',
    );
  });

  it('writes values as they are to a pipe, like -o raw', async () => {
    expect(await render('{{message}}', [{ event: hostile }])).toBe('boom\u001b[2J\nnext\n');
  });

  it('colours the common fields by level, as pretty lines do', async () => {
    const line = await render('{{ts}} {{severity}} {{source}} {{message}} {{actor}}', undefined, {
      terminal: true,
      palette: createPalette(1),
    });
    expect(line).toBe(
      '\u001b[90m2026-05-17 10:00:00.123Z\u001b[39m \u001b[31merror\u001b[39m \u001b[35mpayments\u001b[39m \u001b[31mcharge declined\u001b[39m user:alice\n',
    );
    const info = await render('{{severity}} {{message}}', [{ event: { ...EVENT, severity: 'info' } }], {
      terminal: true,
      palette: createPalette(1),
    });
    expect(info).toBe('info charge declined\n');
  });
});
