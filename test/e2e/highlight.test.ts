/**
 * `--highlight REGEX` as a user runs it: marked in pretty lines, templates and the live view when
 * they have colour; never in NDJSON or JSON, nor where there is no colour; a bad pattern is exit 2.
 */
import { describe, expect, it } from 'vitest';
import { parseNdjson, runCli } from '../helpers/cli.js';
import { SOTAIL_COMMAND as sotail, terminalRunnable, terminalSuite } from '../helpers/terminal-suite.js';

const suite = terminalSuite(['--history', '0', '--rate', '0']);
const ON = '\u001b[7m';
const OFF = '\u001b[27m';

let appended = false;
async function appendOnce(): Promise<void> {
  if (appended) return;
  appended = true;
  const response = await fetch(`${suite.mock().url}/_mock/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      events: [
        {
          ts: '2026-05-17T10:00:00.001Z',
          level: 'critical',
          source: 'pay',
          message: 'card declined for order 42',
        },
        { ts: '2026-05-17T10:00:00.002Z', level: 'info', source: 'pay', message: 'TIMEOUT talking to bank' },
      ],
    }),
  });
  expect(response.status).toBe(200);
}

const query = async (args: string[], env: Record<string, string> = {}) => {
  await appendOnce();
  return runCli(
    ['query', 'source == pay', '--from', '2026-05-17T00:00Z', '--order', 'asc', '--utc', ...args],
    {
      env: { ...suite.mock().env, ...env },
    },
  );
};

describe('--highlight', () => {
  it('marks every match of every pattern in coloured pretty lines, leaving the colours as they were', async () => {
    const result = await query(['-o', 'pretty', '--highlight', 'declined', '--highlight', '(?i)time(out)?'], {
      FORCE_COLOR: '1',
    });
    expect(result.code, result.stderr).toBe(0);
    const [critical, info] = result.stdout.split('\n');
    expect(critical).toContain(`card ${ON}declined${OFF} for order 42`);
    expect(info).toContain(`${ON}TIMEOUT${OFF} talking`);
    // Without the marks, the very line plain pretty output prints.
    const plain = await query(['-o', 'pretty'], { FORCE_COLOR: '1' });
    expect(result.stdout.replaceAll(ON, '').replaceAll(OFF, '')).toBe(plain.stdout);
  });

  it("marks templates too, within their level's colours", async () => {
    const template = await query(['--template', '{{message}}', '--highlight', '\\d+'], { FORCE_COLOR: '1' });
    // The critical message in its level's colours (white on red, bold), as in pretty lines.
    const critical = ['\u001b[37m\u001b[41m\u001b[1m', '\u001b[22m\u001b[49m\u001b[39m'];
    expect(template.stdout).toBe(
      `${critical[0]}card declined for order ${ON}42${OFF}${critical[1]}\nTIMEOUT talking to bank\n`,
    );
  });

  it('marks nothing where there is no colour', async () => {
    const noColour = await query(['-o', 'pretty', '--highlight', 'declined']);
    expect(noColour.code, noColour.stderr).toBe(0);
    expect(noColour.stdout).toContain('declined');
    expect(noColour.stdout).not.toContain(ON);
  });

  // One process per case: each spawn is slow on a loaded machine, and the test's time is its own.
  it.each([
    ['-o ndjson', ['-o', 'ndjson']],
    ['-o json', ['-o', 'json']],
    ['a pipe by default', []],
  ])('marks nothing in output for programs: %s', async (_name, mode) => {
    const result = await query([...mode, '--highlight', 'declined'], { FORCE_COLOR: '1' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).not.toContain('\u001b');
    const events = mode[1] === 'json' ? JSON.parse(result.stdout) : parseNdjson(result.stdout);
    expect(events.map((event: { message: string }) => event.message)).toEqual([
      'card declined for order 42',
      'TIMEOUT talking to bank',
    ]);
  });

  it('a pattern that is not RE2 is exit 2 before any request, for query and tail alike', async () => {
    for (const command of ['query', 'tail']) {
      const result = await runCli([command, '--highlight', 'ok', '--highlight', '(a)\\1'], {
        env: { SOTAIL_API_URL: 'http://127.0.0.1:9', SOTAIL_TOKEN: 'so_test_sotail_dev' },
      });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        /^sotail: --highlight '\(a\)\\1': invalid regular expression: .*backreferences/,
      );
    }
  });
});

describe.skipIf(!terminalRunnable)('--highlight on a terminal', () => {
  it.each([
    ['the live view', `${sotail} tail --since 3650d --highlight declined`],
    ['the query view', `${sotail} query 'source == pay' --from 2026-05-17T00:00Z --highlight declined`],
  ])('marks matches in %s', async (_view, command) => {
    await appendOnce();
    const term = suite.open(command, { ...suite.mock().env, TERM: 'xterm-256color' });
    await term.waitFor(/card declined for order 42/);
    await expect.poll(() => term.screen(true), { timeout: 10_000, interval: 50 }).toContain(`${ON}declined`);
    term.keys('q');
    await term.waitFor(/\[exit 0\]/);
  });
});
