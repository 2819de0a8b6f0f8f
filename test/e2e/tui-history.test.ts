/**
 * The live view's past is the service's history: scrolling up past the buffer loads older
 * matching events, a refine applies to them, and `sotail query` on a terminal opens the same view
 * over its result. In a real terminal (tmux), against the mock with synthetic history.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SOTAIL_COMMAND as sotail, terminalRunnable, terminalSuite } from '../helpers/terminal-suite.js';
import type { Terminal } from '../helpers/tmux.js';

const suite = terminalSuite(['--history', '3000', '--rate', '5', '--seed', '5']);

const env = (): Record<string, string> => ({
  ...suite.mock().env,
  SOTAIL_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'sotail-tui-history-')),
  TERM: 'xterm-256color',
});

/** The list rows on the screen: gutter, time, level, source, message. */
const ROW = /^[ ▶]\d{2}:\d{2}:\d{2}\.\d{3} (\S+)\s+(\S+)\s+(.*)$/;
const rows = (screen: string) =>
  screen
    .split('\n')
    .map((line) => ROW.exec(line))
    .filter((match) => match !== null);

/** Searches for the marker event: older than the cursor first, then newer (`N`). */
async function findMarker(term: Terminal): Promise<void> {
  term.keys('/');
  term.keys('-l', 'deploy-marker');
  term.keys('Enter');
  const screen = await term.waitFor(/^▶.*deploy-marker 42|no older match/m);
  if (!/^▶.*deploy-marker 42/m.test(screen)) term.keys('N');
  await term.waitFor(/^▶\d{2}:\d{2}:\d{2}\.\d{3} WARN\s+ci\s+deploy-marker 42/m);
}

describe.skipIf(!terminalRunnable)('history in the live view', () => {
  // An event from before any view starts: older than each view's first event.
  beforeAll(async () => {
    const response = await fetch(`${suite.mock().url}/_mock/events`, {
      method: 'POST',
      body: JSON.stringify({ events: [{ message: 'deploy-marker 42', source: 'ci', level: 'warn' }] }),
    });
    expect(response.status).toBe(200);
  });

  it('an event older than the view and beyond its --buffer is reached by scrolling up; a refine applies to what is loaded', async () => {
    const term = suite.open(`${sotail} tail --buffer 10`, env(), { cols: 140, rows: 30 });
    // The buffer is full and has let events go: the marker is neither in it nor was ever shown.
    const received = () => Number(/received (\d+) · in buffer 10 /.exec(term.screen())?.[1] ?? 0);
    await expect.poll(received, { timeout: 30_000, interval: 100 }).toBeGreaterThan(10);
    expect(term.screen()).not.toMatch(/deploy-marker/);
    term.keys('g');
    await term.waitFor(/· history [1-9]/);
    await findMarker(term);

    term.keys('f');
    term.keys('-l', 'source == "ci"');
    term.keys('Enter');
    await term.waitFor(/refine source == "ci"/);
    await term.waitFor(/^▶.*deploy-marker 42/m);
    const shown = rows(term.screen());
    expect(shown.length).toBeGreaterThan(0);
    for (const row of shown) expect(row[2]).toBe('ci');

    // G: live again, the history let go.
    term.keys('G');
    await term.waitFor(/^● live · following/m);
    expect(term.screen()).not.toMatch(/· history \d/);
    term.keys('q');
    await term.waitFor(/\[exit 0\]/);
  }, 60_000);

  it('a --url stream has no history: the top row says how many events left the buffer', async () => {
    const { url, env: mockEnv } = suite.mock();
    const term = suite.open(
      `${sotail} tail --buffer 5 --url ${url}/api/proxy-logs/_logs/stream --header 'Authorization: Bearer ${mockEnv.SOTAIL_TOKEN}'`,
      env(),
      { cols: 140, rows: 20 },
    );
    const received = () => Number(/received (\d+) · in buffer 5 /.exec(term.screen())?.[1] ?? 0);
    await expect.poll(received, { timeout: 30_000, interval: 100 }).toBeGreaterThan(5);
    term.keys('g');
    await term.waitFor(
      /^▶— \d+ earlier events? left the buffer of 5; this stream has no history to load them from \(--buffer keeps more\) —$/m,
    );
    term.keys('q');
    await term.waitFor(/\[exit 0\]/);
  }, 40_000);

  it('sotail query on a terminal opens the view over the result, with the same keys', async () => {
    const term = suite.open(`${sotail} query 'severity >= info' --since 7d`, env(), { cols: 140, rows: 20 });
    await term.waitFor(/^◆ query result in the last 7d · loaded 200 · older on ↑/m);
    // The newest at the bottom, the cursor on it.
    const first = rows(term.screen());
    expect(first.length).toBe(17);
    expect(first.at(-1)![0]).toMatch(/^▶/);
    for (const row of first) expect(row[1]).not.toBe('DEBUG');
    // Its own keys in the help; on a narrow screen the count loaded stays whole.
    term.keys('?');
    await term.waitFor(/^space {6}a page down$/m);
    term.keys('x');
    term.resize(40, 20);
    await term.waitFor(/^◆ query result · loaded 200 · older on ↑$/m);
    term.resize(140, 20);
    await term.waitFor(/^◆ query result in the last 7d · loaded 200/m);
    // Paging further back on demand.
    term.keys('g');
    await term.waitFor(/loaded 400/);
    await findMarker(term);
    term.keys('Enter');
    await term.waitFor(/^ {2}"message": "deploy-marker 42",?$/m);
    term.keys('Escape');
    term.keys('5');
    await term.waitFor(/min error/);
    for (const row of rows(term.screen())) expect(['ERROR', 'CRIT']).toContain(row[1]);
    term.keys('q');
    const after = await term.waitFor(/\[exit 0\]/);
    expect(after).not.toMatch(/◆ query result/);
  }, 60_000);

  it('query -f on a terminal is the live view; --no-tui keeps the lines', async () => {
    const term = suite.open(
      `${sotail} query 'source == "ci"' --since 7d --no-tui && ${sotail} query 'source == "ci"' --since 7d -f`,
      env(),
    );
    await term.waitFor(/^● live · following/m, 20_000);
    term.keys('q');
    const after = await term.waitFor(/\[exit 0\]/);
    // The lines of the first command are on the shell screen, under the view's.
    expect(after).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} WARN\s+ci\s+deploy-marker 42/m);
  }, 40_000);
});
