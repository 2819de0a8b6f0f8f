/**
 * `sotail tail --tail N` in the live view, in a real terminal: the view opens on the newest N
 * matching events of the service's history, oldest of them at the top, then follows.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNdjson, runCli } from '../helpers/cli.js';
import { SOTAIL_COMMAND as sotail, terminalRunnable, terminalSuite } from '../helpers/terminal-suite.js';

/** A list row: gutter, UTC time, level. */
const ROW = /^[ ▶](\d{2}:\d{2}:\d{2}\.\d{3})Z (\S+)/gm;

// A history and no traffic: nothing arrives after the N.
const suite = terminalSuite(['--history', '60', '--rate', '0', '--seed', '11']);

describe.skipIf(!terminalRunnable)('sotail tail --tail N in the live view', () => {
  it('shows the newest N matching events first, in time order', async () => {
    const env = { ...suite.mock().env, SOTAIL_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'sotail-tui-')) };
    const newest = await runCli(['query', 'severity >= info', '--limit', '4', '-o', 'ndjson'], { env });
    expect(newest.code, newest.stderr).toBe(0);
    const times = parseNdjson(newest.stdout)
      .map((event) => String(event.ts).slice(11, 23))
      .reverse();
    expect(times).toHaveLength(4);
    const term = suite.open(`${sotail} tail 'severity >= info' --tail 4 --utc`, {
      ...env,
      TERM: 'xterm-256color',
    });
    await term.waitFor(/received 4\b/);
    const shown = [...term.screen().matchAll(ROW)].map((match) => match[1]);
    expect(shown).toEqual(times);
    term.keys('q');
  });
});
