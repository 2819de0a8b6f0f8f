/**
 * JSON written to a terminal cannot drive it: a bidi override, a line separator or a C1 control in
 * an event is written as its `\uXXXX` escape (the same JSON), while a pipe gets the characters as
 * the service sent them (src/output/writer.ts).
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { apiEvent, hostileServer, sendJson } from '../helpers/hostile-server.js';
import { SOTAIL_COMMAND as sotail, terminalRunnable } from '../helpers/terminal-suite.js';
import { openTerminal } from '../helpers/tmux.js';

/** Reversed text, a line separator, a C1 "next line", DEL, and a token the service echoes. */
const MESSAGE = 'abc\u202edef\u2028ghi\u0085jkl\u007fmno so_test_echoed0123456789';
const TOKEN = 'so_test_echoed0123456789';

async function service(): Promise<string> {
  const server = await hostileServer((request, response) => {
    if (request.path === '/query') {
      sendJson(response, 200, {
        events: [apiEvent(1, { message: MESSAGE })],
        next_cursor: null,
        stats: { scanned: 1, matched: 1, elapsed_ms: 0 },
      });
    } else {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(
        `id: 1\ndata: ${JSON.stringify(apiEvent(2, { message: MESSAGE }))}\n\nevent: scope-destroyed\ndata: {}\n\n`,
      );
    }
  });
  return server.url;
}

describe.skipIf(!terminalRunnable)('JSON on a terminal', () => {
  it.each([
    ['query -o ndjson', 'query -o ndjson'],
    ['query -o json', 'query -o json'],
    ['the NDJSON of a tail', 'tail -o ndjson'],
  ])('%s shows invisible characters as \\u escapes and redacts the token', async (_, args) => {
    const url = await service();
    const terminal = openTerminal(`${sotail} ${args}; echo "[exit $?]"`, {
      SOTAIL_API_URL: url,
      SOTAIL_TOKEN: TOKEN,
      TERM: 'xterm-256color',
    });
    onTestFinished(() => terminal.close());
    const screen = await terminal.waitFor(/\[exit 0\]/);
    expect(screen).toContain('abc\\u202edef\\u2028ghi\\u0085jkl\\u007fmno so_test_…6789');
    expect(screen).not.toMatch(/[\u202e\u2028\u0085\u007f]/);
  });
});

describe('JSON to a pipe', () => {
  it('keeps the characters as the service sent them', async () => {
    const url = await service();
    for (const args of [['query'], ['tail']]) {
      const result = await runCli(args, { env: { SOTAIL_API_URL: url, SOTAIL_TOKEN: TOKEN } });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('abc\u202edef\u2028ghi\u0085jkl\u007fmno');
    }
  });
});
