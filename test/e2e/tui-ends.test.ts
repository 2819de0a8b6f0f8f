/**
 * The live view in a script at a terminal: it ends as the line output does (exit status and
 * message), leaves `--count`'s events on the screen, and reads its keys from the terminal when
 * stdin is a pipe or /dev/null — or prints lines where there is no terminal to read keys from.
 */

import { mkdtempSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SOTAIL_COMMAND as sotail, terminalRunnable, terminalSuite } from '../helpers/terminal-suite.js';
import type { Terminal } from '../helpers/tmux.js';

const suite = terminalSuite(['--history', '50', '--rate', '20', '--seed', '11']);

const env = (extra: Record<string, string> = {}): Record<string, string> => ({
  ...suite.mock().env,
  SOTAIL_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'sotail-tui-ends-')),
  TERM: 'xterm-256color',
  ...extra,
});

/** The terminal is the shell's again: main screen, cursor shown. */
function expectRestored(term: Terminal): void {
  expect(term.modes()).toEqual({ alternateScreen: false, cursorVisible: true });
}

async function appendEvents(events: Array<Record<string, unknown>>): Promise<void> {
  const response = await fetch(`${suite.mock().url}/_mock/events`, {
    method: 'POST',
    body: JSON.stringify({ events }),
  });
  expect(response.status).toBe(200);
}

/** The lines a command left on the screen after its view closed, up to its `[exit N]`. */
async function after(term: Terminal, exit: RegExp, timeoutMs?: number): Promise<string[]> {
  const screen = await term.waitFor(exit, timeoutMs);
  return screen
    .slice(0, screen.search(/\[exit \d+\]/))
    .trimEnd()
    .split('\n');
}

/** A stand-in service whose n-th stream request gets the n-th answer (the last one repeats). */
function scriptedStreams(answers: Array<(response: ServerResponse) => void>): Promise<string> {
  let served = 0;
  const server = createServer((request, response) => {
    request.resume();
    answers[Math.min(served++, answers.length - 1)]!(response);
  });
  servers.push(server);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}
const servers: Server[] = [];
afterAll(() => {
  for (const server of servers) server.close();
});

const oneEventThenEnd = (response: ServerResponse): void => {
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  response.end(`id: 1\ndata: {"message":"first and last","level":"info"}\n\n`);
};

describe.skipIf(!terminalRunnable)('the live view in a script', () => {
  it('--count: exits 0 once the events came, and leaves them on the screen as lines', async () => {
    const term = suite.open(`${sotail} tail 'message ~ "^deploy-7 "' --count 2 --timeout 60s`, env());
    await term.waitFor(/^● live · following/m);
    expect(term.modes().alternateScreen).toBe(true);
    await appendEvents([
      { message: 'deploy-7 started', source: 'ci' },
      { message: 'unrelated', source: 'ci' },
      { message: 'deploy-7 done', level: 'warn', source: 'ci' },
    ]);
    const lines = await after(term, /\[exit \d+\]/);
    expect(term.screen()).toMatch(/\[exit 0\]/);
    // The events as --no-tui prints them, and nothing else: no summary, no "timed out".
    expect(lines.slice(-2)).toEqual([
      expect.stringMatching(/^\d{2}:\d{2}:\d{2}\.\d{3} INFO\s+ci\s+deploy-7 started$/),
      expect.stringMatching(/^\d{2}:\d{2}:\d{2}\.\d{3} WARN\s+ci\s+deploy-7 done$/),
    ]);
    expect(term.screen()).not.toMatch(/timed out|sotail: \d+ event/);
    expectRestored(term);
  });

  it('--count and --timeout: 124 when the events did not come, after what did come', async () => {
    // The one event that comes is in the history --since reads first, so it is there however
    // slowly the view starts; the second never comes.
    await appendEvents([{ message: 'deploy-8 started', source: 'ci' }]);
    const term = suite.open(
      `${sotail} tail 'message ~ "^deploy-8 "' --since 5m --count 2 --timeout 6s`,
      env(),
    );
    await term.waitFor(/^● live · following .* shown 1 /m);
    const lines = await after(term, /\[exit \d+\]/, 15_000);
    expect(term.screen()).toMatch(/\[exit 124\]/);
    expect(lines.slice(-4)).toEqual([
      expect.stringMatching(/INFO\s+ci\s+deploy-8 started$/),
      expect.stringMatching(/^sotail: 1 event, 0 reconnects, 0 gaps backfilled in /),
      'sotail: timed out after 6s',
      // Every error ends with its next step (README, "Exit codes").
      'hint: give it longer with a larger --timeout',
    ]);
    expectRestored(term);
  });

  it('the server closing the scope closes the view with the line output message, exit 0', async () => {
    const token = 'so_test_tui_ends_revoked';
    await fetch(`${suite.mock().url}/_mock/tokens`, { method: 'POST', body: JSON.stringify({ token }) });
    const term = suite.open(`${sotail} tail`, env({ SOTAIL_TOKEN: token }));
    await term.waitFor(/^● live .* shown [1-9]/m);
    await fetch(`${suite.mock().url}/_mock/revoke`, { method: 'POST', body: JSON.stringify({ token }) });
    const lines = await after(term, /\[exit \d+\]/);
    expect(term.screen()).toMatch(/\[exit 0\]/);
    expect(lines.at(-1)).toMatch(/^sotail: the server ended the tail: /);
    expectRestored(term);
  });

  it.each([
    [
      'a 204 (do not reconnect)',
      [oneEventThenEnd, (response: ServerResponse) => response.writeHead(204).end()],
    ],
    [
      'a 401 on the reconnect',
      [
        oneEventThenEnd,
        (response: ServerResponse) =>
          response
            .writeHead(401, { 'content-type': 'application/json' })
            .end('{"error":{"code":"unauthorized","message":"token revoked"}}'),
      ],
    ],
  ])('%s ends the view with the status and message of the line output', async (_name, answers) => {
    const url = `${await scriptedStreams(answers)}/stream`;
    const lineRun = suite.open(`${sotail} tail --no-tui --url ${url}`, env());
    const lineEnd = await after(lineRun, /\[exit \d+\]/);
    const lineExit = /\[exit \d+\]/.exec(lineRun.screen())![0];
    lineRun.close();
    const term = suite.open(`${sotail} tail --url ${url}`, env());
    const viewEnd = await after(term, /\[exit \d+\]/);
    expect(/\[exit \d+\]/.exec(term.screen())![0]).toBe(lineExit);
    // The line output printed the event first; the view showed it. The message is the same.
    expect(viewEnd.filter((line) => line.startsWith('sotail'))).toEqual(
      lineEnd.filter((line) => line.startsWith('sotail')),
    );
    expect(lineEnd.filter((line) => line.startsWith('sotail'))).not.toEqual([]);
    expectRestored(term);
  });

  it('warnings shown in the status line are said again on stderr once the view closes', async () => {
    const url = `${await scriptedStreams([
      (response) => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.end(
          'id: 1\ndata: {"message":"before the reset"}\n\nevent: reset\nid\ndata: {"reason":"server_restart"}\n\n',
        );
      },
      (response) => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        // Stays open: the view is live again.
        response.write('id: 7\ndata: {"message":"after the reset"}\n\n');
      },
    ])}/stream`;
    const term = suite.open(`${sotail} tail --url ${url}`, env());
    await term.waitFor(/⚠ events may be missing/);
    await term.waitFor(/after the reset/);
    term.keys('q');
    const lines = await after(term, /\[exit \d+\]/);
    expect(term.screen()).toMatch(/\[exit 0\]/);
    expect(lines.slice(-2)).toEqual([
      expect.stringMatching(/^sotail: warning: events may be missing/),
      expect.stringMatching(/^sotail: 2 events, 1 reconnect, 0 gaps backfilled in /),
    ]);
  });

  it.each([
    ['stdin from /dev/null', `${sotail} tail < /dev/null`],
    ['stdin from a pipe', `true | ${sotail} tail`],
  ])('%s: keys come from the terminal, q quits', async (_name, command) => {
    const term = suite.open(command, env());
    await term.waitFor(/^● live · following .* shown [1-9]/m);
    term.keys('Space');
    await term.waitFor(/PAUSED/);
    term.keys('q');
    await term.waitFor(/\[exit 0\]/);
    expectRestored(term);
  });

  it('with no terminal to read keys from (setsid), lines instead of a view that cannot be quit', async () => {
    const term = suite.open(`setsid -w ${sotail} tail --count 3 < /dev/null`, env());
    const lines = await after(term, /\[exit \d+\]/);
    expect(term.screen()).toMatch(/\[exit 0\]/);
    expect(lines.filter((line) => /^\d{2}:\d{2}:\d{2}\.\d{3} \S+/.test(line))).toHaveLength(3);
    expectRestored(term);
  });
});
