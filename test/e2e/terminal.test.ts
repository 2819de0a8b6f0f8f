import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SOTAIL_COMMAND as sotail, terminalRunnable, terminalSuite } from '../helpers/terminal-suite.js';

const suite = terminalSuite(['--history', '300', '--rate', '0', '--seed', '11']);

const env = (): Record<string, string> => ({
  ...suite.mock().env,
  SOTAIL_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'sotail-tty-')),
  TERM: 'xterm-256color',
});

describe.skipIf(!terminalRunnable)('in a real terminal', () => {
  it('query prints coloured pretty lines and says the output was capped', async () => {
    const terminal = suite.open(`${sotail} query --since 30d --limit 5; echo "[exit $?]"`, env());
    const screen = await terminal.waitFor(/\[exit 0\]/);
    const lines = screen
      .split('\n')
      .filter((line) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} /.test(line));
    expect(lines).toHaveLength(5);
    expect(screen).toMatch(/\(only the first 5 events; --all or a larger --limit shows more/);
  });

  it('GROUP BY and sessions list render as aligned tables', async () => {
    const terminal = suite.open(
      `${sotail} query 'severity >= info GROUP BY source' --since 30d && ${sotail} sessions create --filter 'level=error' --service api >/dev/null && ${sotail} sessions list; echo "[exit $?]"`,
      env(),
    );
    const screen = await terminal.waitFor(/\[exit 0\]/);
    expect(screen).toMatch(/^SOURCE\s+COUNT\s+SHARE$/m);
    expect(screen).toMatch(/^\S+\s+\d+\s+\d+\.\d%$/m);
    expect(screen).toMatch(/^ID\s+FILTER\s+SERVICE\s+CURSOR\s+CREATED\s+ACTIVE$/m);
    expect(screen).toMatch(/level=error\s+api\s+\S+\s+\S+\s+true$/m);
  });

  it('ingest shows live progress on a terminal, then the summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sotail-fifo-'));
    const fifo = join(dir, 'in');
    const terminal = suite.open(`mkfifo ${fifo}; ${sotail} ingest --source tty < ${fifo}`, env());
    const { openSync, writeSync, closeSync, existsSync } = await import('node:fs');
    await expect.poll(() => existsSync(fifo), { timeout: 15_000 }).toBe(true);
    const writer = openSync(fifo, 'w');
    writeSync(writer, 'first line\nERROR second line\n');
    await terminal.waitFor(/ingesting… 2 stored/);
    closeSync(writer);
    const screen = await terminal.waitFor(/\[exit 0\]/);
    expect(screen).toMatch(/ingest: 2 stored, 0 invalid, 0 dead-lettered/);
  });

  it('Ctrl-C during a bulk ingest with a profile still prints the summary, then exits 130', async () => {
    // A profile loads conf, whose signal handlers once re-raised Ctrl-C as a second one and cut
    // the summary off (src/cli/interrupts.ts).
    const dir = mkdtempSync(join(tmpdir(), 'sotail-fifo-'));
    const fifo = join(dir, 'in');
    const { SOTAIL_TOKEN: token, SOTAIL_API_URL: apiUrl, ...rest } = env();
    const terminal = suite.open(
      `echo ${token} | ${sotail} login --api-url ${apiUrl} --token-stdin && mkfifo ${fifo} && ${sotail} ingest --source tty < ${fifo}`,
      rest,
    );
    const { openSync, writeSync, closeSync, existsSync } = await import('node:fs');
    // Logging in first takes a second or more on a loaded machine.
    await expect.poll(() => existsSync(fifo), { timeout: 15_000 }).toBe(true);
    const writer = openSync(fifo, 'w');
    // Other lines than the test above: the same input sent again is "already stored" (its keys).
    writeSync(writer, 'first line before Ctrl-C\nERROR second line before Ctrl-C\n');
    await terminal.waitFor(/ingesting… 2 stored/);
    terminal.keys('C-c');
    const screen = await terminal.waitFor(/\[exit \d+\]/);
    closeSync(writer);
    expect(screen).toMatch(/ingest: 2 stored, 0 invalid, 0 dead-lettered/);
    expect(screen).toMatch(/\[exit 130\]/);
  });
});
