/**
 * The live view of several streams in one tail (`--api` beside `--url`s), in a real terminal
 * (tmux) against the mock: each row starts with its stream's name, the status area says each
 * stream's state, and a stream that stops for good leaves the others going.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SOTAIL_COMMAND as sotail, terminalRunnable, terminalSuite } from '../helpers/terminal-suite.js';

const suite = terminalSuite(['--rate', '20', '--seed', '17']);

const env = (): Record<string, string> => ({
  ...suite.mock().env,
  SOTAIL_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'sotail-tui-merge-')),
  TERM: 'xterm-256color',
});

describe.skipIf(!terminalRunnable)('a merged tail in the live view', () => {
  it('labels each row with its stream, says each stream’s state, and goes on when one stops', async () => {
    const proxy = `${suite.mock().url}/api/proxy-logs/_logs/stream`;
    // Nothing listens on port 9 (discard): that stream fails and stops after one retry.
    const term = suite.open(
      `${sotail} tail --api --url proxy=${proxy} --url dead=http://127.0.0.1:9/stream --max-retries 1`,
      env(),
      { cols: 160, rows: 24 },
    );
    await term.waitFor(/^ api {3}\d{2}:\d{2}:\d{2}\.\d{3} /m, 20_000);
    await term.waitFor(/^ proxy \d{2}:\d{2}:\d{2}\.\d{3} /m);
    const screen = await term.waitFor(/■ dead ended \(failed: cannot connect to 127\.0\.0\.1:9/);
    expect(screen).toMatch(/^● 2 of 3 streams live · following · /m);
    expect(screen).toMatch(/^● api live [\d,]+ · ● proxy live [\d,]+ · ■ dead ended/m);
    // The name is the column, not a field again.
    expect(screen).not.toMatch(/_stream/);
    term.keys('q');
    const after = await term.waitFor(/\[exit \d+\]/);
    expect(after).toMatch(/\[exit 0\]/);
    expect(after).toMatch(/^sotail: dead: warning: .*cannot connect/m);
    expect(after).toMatch(/^sotail: [\d,]+ events, .* from 3 streams:$/m);
    expect(after).toMatch(/^ {2}dead: 0 events, .*stopped \(failed\)$/m);
    expect(term.modes()).toEqual({ alternateScreen: false, cursorVisible: true });
  }, 40_000);
});
