/**
 * Text a service sends never drives the terminal from stderr: every kind of line that quotes it
 * (connecting, reconnecting, gap, missing, notice, ended, errors, hints, --debug) shows escape
 * sequences, C1 controls and bidi overrides as visible escapes (`\x1b`), one line each, through
 * the one stderr writer (src/cli/chatter.ts).
 */
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { hostileServer, sendJson } from '../helpers/hostile-server.js';

const TOKEN = 'so_test_hostile0123456789';
/** Renames the terminal, clears it, and an 8-bit CSI, a bidi override and a line break to boot. */
const PWN = '\u001b]0;PWNED\u0007\u001b[2J\u009b2J\u202e\nsotail: forged line';

/** Nothing that a terminal would act on: C0 but the newlines between lines, DEL, C1, bidi controls. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function expectSafe(stderr: string): void {
  expect(stderr).not.toMatch(RAW_CONTROL);
  expect(stderr).not.toMatch(/^sotail: forged line/m);
  expect(stderr).toContain('\\x1b]0;PWNED\\x07\\x1b[2J\\x9b2J\\u202e\\nsotail: forged line');
}

function sse(response: ServerResponse, frames: string): void {
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  response.end(frames);
}

const data = (value: unknown): string => `data: ${JSON.stringify(value)}\n\n`;

describe('stderr lines that quote the service', () => {
  it('gap, missing, notice, reconnecting and ended lines of a tail', async () => {
    const server = await hostileServer((request, response) => {
      if (request.number === 1) {
        sse(
          response,
          `retry: 1\n\nid: 7\n${data({ message: 'm1', ts: PWN })}` +
            `event: gap\n${data({ after: PWN, resumed_from: PWN })}` +
            'data: not json\n\n',
        );
      } else if (request.number === 2) {
        sendJson(response, 503, { error: { code: PWN, message: PWN } }, { 'retry-after': '0' });
      } else {
        sse(response, `event: scope-destroyed\n${data({ reason: PWN })}`);
      }
    });
    const result = await runCli(
      ['tail', '--url', `${server.url}/stream`, '--no-tui', '--verbose', '--debug'],
      {
        env: { SOTAIL_RETRY_BASE_MS: '1', SOTAIL_RETRY_MAX_MS: '5' },
      },
    );
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stderr.split('\n');
    const line = (pattern: RegExp): string =>
      lines.find((each) => pattern.test(each)) ?? `(no line ${pattern})`;
    for (const kind of [
      /^sotail: the server could not replay/,
      /^sotail: warning: events may be missing/,
      /^sotail: 503 .*reconnecting/,
      /^sotail: the server ended the tail: /,
    ]) {
      expectSafe(line(kind));
    }
    expect(line(/^sotail: warning: skipped a frame/)).not.toMatch(RAW_CONTROL);
    expect(result.stderr).not.toMatch(RAW_CONTROL);
  });

  it('connecting, --debug and error lines when the stream sends an id that cannot be sent back', async () => {
    const server = await hostileServer((request, response) =>
      request.number === 1
        ? sse(response, `id: ${PWN.replace('\n', ' ')}\n${data({ message: 'm1' })}`)
        : response.end(),
    );
    const result = await runCli(
      ['tail', '--url', `${server.url}/stream`, '--no-tui', '--verbose', '--debug'],
      {
        env: { SOTAIL_RETRY_BASE_MS: '1', SOTAIL_RETRY_MAX_MS: '5' },
      },
    );
    expect(result.code, result.stderr).toBe(1);
    expect(server.requests).toHaveLength(1);
    const lines = result.stderr.split('\n');
    const line = (pattern: RegExp): string =>
      lines.find((each) => pattern.test(each)) ?? `(no line ${pattern})`;
    const shown = '\\x1b]0;PWNED\\x07\\x1b[2J\\x9b2J\\u202e sotail: forged line';
    for (const kind of [
      /^sotail: connecting to .*resuming after/,
      /^\[debug\] → GET .*last-event-id: /,
      /^sotail: the stream sent an event id that cannot be sent back/,
    ]) {
      expect(line(kind)).not.toMatch(RAW_CONTROL);
      expect(line(kind)).toContain(shown);
    }
    expect(result.stderr).not.toMatch(RAW_CONTROL);
  });

  it('errors and hints', async () => {
    const server = await hostileServer((_request, response) =>
      sendJson(response, 403, { error: { code: 'forbidden', message: PWN, required_scope: PWN } }),
    );
    const result = await runCli(['query'], { env: { SOTAIL_API_URL: server.url, SOTAIL_TOKEN: TOKEN } });
    expect(result.code, result.stderr).toBe(3);
    const [error, hint] = result.stderr.trimEnd().split('\n');
    expect(error).toMatch(/^sotail: /);
    expect(hint).toMatch(/^hint: the token lacks the scope /);
    expectSafe(error ?? '');
    expectSafe(hint ?? '');
  });

  it('an error of a session that is gone', async () => {
    const server = await hostileServer((_request, response) =>
      sendJson(response, 404, { error: { code: 'not_found', message: PWN } }),
    );
    const result = await runCli(['tail', '--session', 'ses_0123456789abcdef', '--no-tui'], {
      env: { SOTAIL_API_URL: server.url, SOTAIL_TOKEN: TOKEN },
    });
    expect(result.code).toBe(1);
    expectSafe(result.stderr);
  });
});

describe('the lines of a tail that never got through quote the last failure', () => {
  it('the summary and the timeout verdict, with the token the server echoed', async () => {
    const secret = 'so_test_echoed0123456789abcdef';
    const server = await hostileServer((request, response) =>
      sendJson(response, 503, {
        error: { code: `${PWN} ${String(request.headers.authorization)}`, message: 'down' },
      }),
    );
    const result = await runCli(
      [
        'tail',
        '--url',
        `${server.url}/stream`,
        '--header',
        `Authorization: Bearer ${secret}`,
        '--timeout',
        '2s',
        '--no-tui',
      ],
      { env: { SOTAIL_RETRY_BASE_MS: '1', SOTAIL_RETRY_MAX_MS: '5' } },
    );
    // Never connected: the exit code of a service that cannot be reached (README "Exit codes").
    expect(result.code, result.stderr).toBe(5);
    const summary =
      result.stderr.split('\n').find((line) => /^sotail: 0 events, /.test(line)) ?? '(no summary)';
    expect(summary).toMatch(/never connected \(last: /);
    expectSafe(summary);
    const verdict =
      result.stderr.split('\n').find((line) => /^sotail: timed out after 2s/.test(line)) ?? '(none)';
    expect(verdict).toMatch(/^sotail: timed out after 2s without ever reaching the service: 503 /);
    expectSafe(verdict);
    expect(result.stderr).not.toMatch(RAW_CONTROL);
    expect(result.stderr).not.toContain('0123456789abcdef');
    expect(result.stderr).toContain('Bearer so_test_…');
  });
});
