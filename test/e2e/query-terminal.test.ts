/** `query` and `stats` as a person sees them in a real terminal (tmux): times, widths, notices. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { SOTAIL_COMMAND as sotail, terminalRunnable, terminalSuite } from '../helpers/terminal-suite.js';

const suite = terminalSuite(['--history', '200', '--rate', '0', '--seed', '5']);

const env = (extra: Record<string, string> = {}): Record<string, string> => ({
  ...suite.mock().env,
  SOTAIL_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'sotail-tty-')),
  TERM: 'xterm-256color',
  ...extra,
});

const LINE_TIME = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3})(Z?) /;

describe.skipIf(!terminalRunnable)('query in a real terminal', () => {
  it('shows local time by default and UTC with --utc, marked with Z', async () => {
    const args = 'query --since 30d --limit 1 --order asc';
    const terminal = suite.open(`${sotail} ${args}; ${sotail} ${args} --utc`, env({ TZ: 'Asia/Kolkata' }));
    const screen = await terminal.waitFor(/\[exit 0\]/);
    const times = screen
      .split('\n')
      .map((line) => LINE_TIME.exec(line))
      .filter((match) => match !== null);
    expect(times).toHaveLength(2);
    const [local, utc] = times as [RegExpExecArray, RegExpExecArray];
    expect(local[2]).toBe('');
    expect(utc[2]).toBe('Z');
    // Kolkata is UTC+05:30 all year.
    const asUtc = (text: string) => Date.parse(`${text.replace(' ', 'T')}Z`);
    expect(asUtc(local[1]!) - asUtc(utc[1]!)).toBe(5.5 * 3_600_000);
  });

  it('says on stderr that nothing matched, naming the query and the window', async () => {
    const terminal = suite.open(`${sotail} query 'source == nowhere' --since 1h30m`, env());
    const screen = await terminal.waitFor(/\[exit 0\]/);
    expect(screen).toContain("no events matched 'source == nowhere' in the last 1h30m");
    // Coloured (dim), not escaped: the notice's own colour codes must not show as text.
    expect(screen).not.toContain('\\x1b');
    terminal.close();
    const quiet = suite.open(`${sotail} query 'source == nowhere' --since 1h -q`, env());
    expect(await quiet.waitFor(/\[exit 0\]/)).not.toContain('no events matched');
  });

  it('the demo tour shows its headings in bold, not as escaped codes', async () => {
    const terminal = suite.open(`${sotail} demo --once --history 200 --rate 1`, env());
    const screen = await terminal.waitFor(/\[exit 0\]/, 20_000);
    expect(screen).toContain('▸ sotail stats');
    expect(screen).not.toContain('\\x1b');
  });

  it('cuts table rows to the terminal width instead of wrapping them', async () => {
    const cols = 70;
    const terminal = suite.open(
      `${sotail} query --since 30d --limit 20 -o table; ${sotail} stats --since 30d`,
      env(),
      { cols, rows: 80 },
    );
    const screen = await terminal.waitFor(/\[exit 0\]/);
    // Stdout's tables only: the notices on stderr are prose, free to wrap.
    const lines = screen.split('\n').filter((line) => line.trim() !== '' && !/^[[(]/.test(line));
    // capture-pane -J joins wrapped lines back: a wrapped row would be wider than the pane.
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(cols);
    expect(lines.some((line) => line.endsWith('…'))).toBe(true);
    expect(screen).toMatch(/^total \d+ in the last 30d$/m);
  });

  it('sessions list fits the terminal width too', async () => {
    const cols = 60;
    const base = env();
    const terminal = suite.open(
      `${sotail} sessions create --filter 'severity >= error AND message ~ "a rather long filter to be cut"' --service payments >/dev/null && ${sotail} sessions list`,
      base,
      { cols, rows: 40 },
    );
    const screen = await terminal.waitFor(/\[exit 0\]/);
    const lines = screen.split('\n').filter((line) => line.trim() !== '' && !/^[[(]/.test(line));
    expect(lines.some((line) => line.startsWith('ID'))).toBe(true);
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(cols);
    expect(lines.some((line) => line.includes('…'))).toBe(true);
  });
});
