/**
 * `-o template=…` / `--template` as a user runs it: query and tail, to a pipe and on a real
 * terminal (tmux), from the command line and from a file.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startTestMock } from '../helpers/mock-server.js';
import { spawnTail } from '../helpers/tail.js';
import { SOTAIL_COMMAND as sotail, terminalRunnable, terminalSuite } from '../helpers/terminal-suite.js';

const suite = terminalSuite(['--history', '0', '--rate', '0']);
const TEMPLATE = '{{ts}} {{severity | upper}} {{source}}: {{message}} order={{payload.order_id}}';

async function append(events: object[]): Promise<void> {
  const response = await fetch(`${suite.mock().url}/_mock/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ events }),
  });
  expect(response.status).toBe(200);
}

describe('templates to a pipe', () => {
  it('query: one line per event, from -o template=, --template and --template @FILE alike', async () => {
    await append([
      {
        ts: '2026-05-17T10:00:00.001Z',
        level: 'error',
        source: 'pay',
        message: 'declined',
        meta: { order_id: 'o1' },
      },
      { ts: '2026-05-17T10:00:00.002Z', level: 'info', source: 'pay', message: 'ok' },
    ]);
    const file = join(mkdtempSync(join(tmpdir(), 'sotail-template-')), 'line.tpl');
    writeFileSync(file, `${TEMPLATE}\n`);
    const args = ['query', 'source == pay', '--from', '2026-05-17T00:00Z', '--order', 'asc'];
    const expected = [
      '2026-05-17 10:00:00.001Z ERROR pay: declined order=o1',
      '2026-05-17 10:00:00.002Z INFO pay: ok order=',
      '',
    ].join('\n');
    for (const flags of [
      ['-o', `template=${TEMPLATE}`],
      ['--template', TEMPLATE],
      ['--template', `@${file}`],
    ]) {
      const result = await runCli([...args, ...flags], { env: suite.mock().env });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toBe(expected);
    }
  });

  it('tail: the same template on a live stream', async () => {
    const mock = await startTestMock();
    const tail = spawnTail(mock, ['--template', '{{severity}} {{message}}', '--count', '2', '-v']);
    await tail.live();
    mock.append({ message: 'one', level: 'warn' }, { message: 'two', level: 'debug' });
    const result = await tail.done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('warn one\ndebug two\n');
  });

  it('a mistake is exit 2 before any request, with a caret and a suggestion', async () => {
    const result = await runCli(['query', '--template', '{{ts}} {{mesage}}'], {
      env: { SOTAIL_API_URL: 'http://127.0.0.1:9', SOTAIL_TOKEN: 'so_test_sotail_dev' },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      [
        "sotail: -o template: unknown field 'mesage' — did you mean 'message'?",
        '  {{ts}} {{mesage}}',
        '           ^',
        'hint: known fields: event_id, ts, ingested_at, dataset, severity, event, actor, source, message, payload, bytes_raw, stream, payload.<key>; aliases: level, service, msg, meta, meta.<key>',
        '',
      ].join('\n'),
    );
    const missing = await runCli(['tail', '--template', '@/nonexistent/sotail.tpl'], {
      env: { SOTAIL_API_URL: 'http://127.0.0.1:9', SOTAIL_TOKEN: 'so_test_sotail_dev' },
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--template @\/nonexistent\/sotail\.tpl: cannot read it \(no such file\)/);
  });
});

describe.skipIf(!terminalRunnable)('templates on a terminal', () => {
  it('escapes what the event carries, colours by level, and keeps its own tabs', async () => {
    await append([
      {
        ts: '2026-05-17T11:00:00.000Z',
        level: 'error',
        source: 'tty',
        message: 'boom\u001b[2J\u001b]0;owned\u0007',
      },
    ]);
    const terminal = suite.open(
      `${sotail} query 'source == tty' --from 2026-05-17T00:00Z --utc --template '{{severity}}\\t{{message}}'`,
      { ...suite.mock().env, TERM: 'xterm-256color', FORCE_COLOR: '1' },
    );
    const screen = await terminal.waitFor(/\[exit 0\]/);
    expect(screen).toMatch(/^error {3}boom\\x1b\[2J\\x1b]0;owned\\x07$/m);
    // The level's colour (red) on the severity and on an error's message.
    expect(terminal.screen(true)).toMatch(/\u001b\[31merror\u001b\[39m/);
  });
});
