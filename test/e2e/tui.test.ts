import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SOTAIL_COMMAND as sotail, terminalRunnable, terminalSuite } from '../helpers/terminal-suite.js';
import type { Terminal } from '../helpers/tmux.js';

/** A list row: gutter, local time, level, source. */
const ROW = /^[ ▶]\d{2}:\d{2}:\d{2}\.\d{3} (\S+)\s+(\S+)/;

const suite = terminalSuite(['--history', '200', '--rate', '40', '--seed', '7']);

const dir = (): string => mkdtempSync(join(tmpdir(), 'sotail-tui-'));
const env = (): Record<string, string> => ({
  ...suite.mock().env,
  SOTAIL_CONFIG_DIR: dir(),
  TERM: 'xterm-256color',
  SOTAIL_CLIPBOARD: 'file',
});

const rows = (screen: string) =>
  screen
    .split('\n')
    .map((line) => ROW.exec(line))
    .filter((match) => match !== null);

/** The terminal is the shell's again: main screen, cursor shown. */
function expectRestored(term: Terminal): void {
  expect(term.modes()).toEqual({ alternateScreen: false, cursorVisible: true });
}

describe.skipIf(!terminalRunnable)('sotail tail in a real terminal', () => {
  it('shows coloured lines and a live status; pauses, searches, refines, opens an event, quits with q', async () => {
    const work = dir();
    const term = suite.open(`cd ${work} && ${sotail} tail`, env());
    // Live comes before the first event does: wait for one to be shown, not only for the state.
    await term.waitFor(/^● live · following · .* shown [1-9]/m);
    await term.waitFor(/^query \(all events\) · \? keys/m);
    expect(term.modes().alternateScreen).toBe(true);
    expect(rows(term.screen()).length).toBeGreaterThan(0);
    // Level colours: the severity labels are painted (dim debug, cyan notices, yellow warnings…).
    await expect
      .poll(() => term.screen(true), { timeout: 10_000, interval: 50 })
      .toMatch(/\x1b\[[0-9;]*(2|3[1-6])m(DEBUG|NOTE|WARN|ERROR)/);

    term.keys('Space');
    await term.waitFor(/PAUSED \+[1-9]\d* new/);
    const paused = rows(term.screen()).map((match) => match[0]);
    await term.waitFor(/PAUSED \+([2-9]\d*|1\d+) new/);
    // Nothing scrolls while paused: the rows shown stay where they were (a list not yet as tall as
    // the screen may still fill its empty rows below them).
    expect(
      rows(term.screen())
        .map((match) => match[0])
        .slice(0, paused.length),
    ).toEqual(paused);
    term.keys('Space');
    await term.waitFor(/· following ·/);

    term.keys('/');
    await term.waitFor(/^search: █/m);
    term.keys('-l', 'dataset=');
    term.keys('Enter');
    await term.waitFor(/search "dataset="/);
    expect(term.screen(true)).toMatch(/\x1b\[(?:\d+;)*7mdataset=/);

    term.keys('f');
    await term.waitFor(/^refine \(SOQL filter, empty clears\): █/m);
    term.keys('-l', 'source ==');
    term.keys('Enter');
    await term.waitFor(/^\s+\^$/m);
    term.keys('-l', ' "api"');
    term.keys('Enter');
    await term.waitFor(/refine source == "api"/);
    // The buffer may hold no api event yet; the next one to arrive is shown.
    await expect.poll(() => rows(term.screen()).length, { timeout: 10_000, interval: 50 }).toBeGreaterThan(0);
    const sources = rows(term.screen()).map((match) => match[2]);
    expect(new Set(sources)).toEqual(new Set(['api']));

    term.keys('5');
    await term.waitFor(/min error/);
    term.keys('1');
    await term.waitFor(/showing every severity/);

    // Up one: an event, or (when the buffer holds one api event) a page of history loaded above.
    term.keys('k');
    await term.waitFor(/^▶\d{2}:\d{2}:\d{2}\.\d{3} /m);
    term.keys('Enter');
    await term.waitFor(/^ event 1–\d+ of \d+ lines/m);
    expect(term.screen()).toMatch(/^ {2}"event_id": "/m);
    expect(term.screen()).toMatch(/^ {2}"source": "api",?$/m);
    term.keys('y');
    await term.waitFor(/copied the event to .*sotail-clipboard\.json/);
    term.keys('Escape');
    await term.waitFor(/PAUSED/);

    term.keys('w');
    await term.waitFor(/^write shown events to: sotail-\d{8}-\d{6}\.ndjson█/m);
    term.keys('C-u');
    term.keys('-l', 'shown.ndjson');
    term.keys('Enter');
    await term.waitFor(/wrote \d+ events to .*shown\.ndjson/);
    const written = readFileSync(join(work, 'shown.ndjson'), 'utf8').trim().split('\n');
    expect(written.length).toBeGreaterThan(0);
    for (const line of written) expect(JSON.parse(line).source).toBe('api');

    term.keys('?');
    await term.waitFor(/^Keys · any other key closes this help/m);
    term.keys('x');
    await term.waitFor(/PAUSED/);

    term.keys('q');
    const after = await term.waitFor(/\[exit 0\]/);
    expect(after).toMatch(/^sotail: [\d,]+ events?, 0 reconnects, 0 gaps backfilled in /m);
    expectRestored(term);
    // A whole session of keys, each waited for on a loaded machine: more than the default.
  }, 60_000);

  it('Ctrl-C quits like the line outputs: one summary line on stderr, exit 130, terminal restored', async () => {
    const terminal = suite.open(`${sotail} tail 'severity >= info'`, env());
    await terminal.waitFor(/^● live/m);
    // A smaller window: the view is laid out again, every row cut to the new width.
    terminal.resize(70, 15);
    await expect.poll(() => rows(terminal.screen()).length, { timeout: 10_000, interval: 50 }).toBe(12);
    const lines = terminal.screen().replace(/\n$/, '').split('\n');
    expect(lines).toHaveLength(15);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(70);
    expect(lines[12]).toMatch(/^● live · following/);
    terminal.keys('C-c');
    const after = await terminal.waitFor(/\[exit 130\]/);
    // One line, as for lines (docs/tail.md): the summary, no `interrupted` after it.
    expect(after).toMatch(/^sotail: [\d,]+ events?, 0 reconnects, 0 gaps backfilled in .*\n/m);
    expect(after).not.toMatch(/interrupted/);
    expectRestored(terminal);
  });

  it('a resize to 20×3 and back, then q: nothing of the view is left on the shell screen', async () => {
    const term = suite.open(`echo before the view; ${sotail} tail`, env());
    await term.waitFor(/^● live · following .* shown [1-9]/m);
    term.resize(20, 3);
    await term.waitFor(/^● live · following/m);
    expect(term.screen().replace(/\n+$/, '').split('\n')).toHaveLength(3);
    term.resize(140, 40);
    await term.waitFor(/^query \(all events\) · \? keys/m);
    term.keys('q');
    const after = await term.waitFor(/\[exit 0\]/);
    expect(after).toMatch(/^before the view$/m);
    // Not even a row cut to 20 columns.
    expect(after).not.toMatch(/^[ ▶]?\d{2}:\d{2}:\d{2}\.\d{3}/m);
    expectRestored(term);
  });

  it('on a 12-row screen the help scrolls to its last line', async () => {
    const term = suite.open(`${sotail} tail`, env(), { cols: 100, rows: 12 });
    await term.waitFor(/^● live · following .* shown [1-9]/m);
    term.keys('?');
    await term.waitFor(/^Keys \(1–8 of 14; j\/k scroll\)/m);
    term.keys('G');
    await term.waitFor(/^q {2}Ctrl-C {2}quit/m);
    term.keys('Escape');
    await term.waitFor(/^● live/m);
    term.keys('q');
    await term.waitFor(/\[exit 0\]/);
  });

  it('at 40 columns the state, the position and the rate stay in sight while it reconnects', async () => {
    const term = suite.open(`${sotail} tail`, env(), { cols: 40, rows: 12 });
    await term.waitFor(/^● live · following · [\d.]+\/s/m);
    // The next two opens of the stream get a 503 with Retry-After: 1 s of "reconnecting" each.
    await fetch(`${suite.mock().url}/_mock/faults`, {
      method: 'POST',
      body: JSON.stringify({ faults: ['503@tail:count=2,retry-after=1'] }),
    });
    await fetch(`${suite.mock().url}/_mock/reset`, { method: 'POST' });
    await term.waitFor(/^● reconnecting in \d+s · following · [\d.]+\/s/m);
    await term.waitFor(/^● live · following/m, 15_000);
    term.keys('q');
    await term.waitFor(/\[exit 0\]/);
  });

  it.each([
    ['SIGTERM', /\[exit 130\]/],
    // Not handled by sotail: the process dies of it, and the view still gives the terminal back.
    ['SIGHUP', /\[exit 129\]/],
  ])('%s restores the terminal', async (signal, exit) => {
    const pidFile = join(dir(), 'pid');
    const terminal = suite.open(`sh -c 'echo $$ > ${pidFile}; exec ${sotail} tail'`, env());
    await terminal.waitFor(/^● live/m);
    process.kill(Number(readFileSync(pidFile, 'utf8')), signal);
    await terminal.waitFor(exit);
    expectRestored(terminal);
  });

  it('with CI set, a terminal gets the line output (nobody is at the keys of a CI job)', async () => {
    const terminal = suite.open(`CI=true ${sotail} tail --count 2`, env());
    const screen = await terminal.waitFor(/\[exit 0\]/);
    expect(rows(screen.replace(/^/gm, ' ')).length).toBe(2);
    expect(screen).not.toMatch(/● live/);
  });

  it('--no-tui and -o keep the line output on a terminal', async () => {
    const terminal = suite.open(
      `${sotail} tail --no-tui --count 2 && ${sotail} tail -o ndjson --count 1 | cat`,
      env(),
    );
    const screen = await terminal.waitFor(/\[exit 0\]/);
    expect(rows(screen.replace(/^/gm, ' ')).length).toBe(2);
    expect(screen).toMatch(/^\{"event_id":/m);
  });

  it('npm start (sotail demo) on a terminal ends in the live view of the mock traffic', async () => {
    const terminal = suite.open(`${sotail} demo --history 500 --rate 50`, {
      SOTAIL_CONFIG_DIR: dir(),
      TERM: 'xterm-256color',
    });
    await terminal.waitFor(/^demo: every event of the local service · \? keys/m, 20_000);
    await terminal.waitFor(/^● live · following .* shown [1-9]/m);
    expect(terminal.modes().alternateScreen).toBe(true);
    terminal.keys('q');
    const after = await terminal.waitFor(/\[exit 0\]/);
    // Back on the main screen: the tour printed before the view is there again.
    expect(after).toMatch(/▸ sotail stats/);
    expect(after).toMatch(/^sotail: [\d,]+ events?, /m);
    expectRestored(terminal);
  });

  it('survives a restart of the service: the reconnect shows, then it is live again', async () => {
    const terminal = suite.open(`${sotail} tail`, env());
    await terminal.waitFor(/^● live/m);
    const response = await fetch(`${suite.mock().url}/_mock/reset`, { method: 'POST' });
    expect(response.status).toBe(200);
    await terminal.waitFor(/reconnects [1-9]/, 15_000);
    await terminal.waitFor(/^● live .* reconnects [1-9]/m, 15_000);
    const before = /received ([\d,]+)/.exec(terminal.screen())?.[1];
    await expect
      .poll(() => /received ([\d,]+)/.exec(terminal.screen())?.[1], { timeout: 10_000, interval: 50 })
      .not.toBe(before);
    terminal.keys('q');
    await terminal.waitFor(/\[exit 0\]/);
    expectRestored(terminal);
  });
});
