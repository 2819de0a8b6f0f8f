/**
 * `sotail login` typed at a real terminal (tmux): the token is never echoed, with or without
 * --token-stdin, and an empty answer is the same usage error (exit 2) as an empty pipe.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type MockServer, startMockServer } from '../../src/mock/index.js';
import { BIN, runCli, tempConfigDir } from '../helpers/cli.js';
import { hasTmux, openTerminal, type Terminal } from '../helpers/tmux.js';

const runnable = process.env.CI === 'true' || hasTmux();
const DEV = 'so_test_sotail_dev';
const sotail = `"${process.execPath}" "${BIN}"`;

let mock: MockServer;
let terminal: Terminal | undefined;

beforeAll(async () => {
  mock = await startMockServer({ port: 0, ratePerSec: 0, history: 0 });
});
afterAll(async () => {
  await mock?.close();
});
afterEach(() => {
  terminal?.close();
  terminal = undefined;
});

describe.skipIf(!runnable)('login on a terminal', () => {
  it('--token-stdin on a terminal prompts hidden instead of echoing the token', async () => {
    terminal = openTerminal(`${sotail} login --api-url ${mock.url} --token-stdin`, {
      SOTAIL_CONFIG_DIR: tempConfigDir(),
    });
    await terminal.waitFor(/Token \(input hidden\): $/m);
    terminal.keys(DEV, 'Enter');
    const screen = await terminal.waitFor(/\[exit \d+\]/);
    expect(screen).toContain('[exit 0]');
    expect(screen).toMatch(/Logged in to http:\/\/127\.0\.0\.1:\d+ as so_test_…_dev/);
    expect(screen).not.toContain(DEV);
  });

  it('an empty answer at the prompt is exit 2, like an empty pipe', async () => {
    terminal = openTerminal(`${sotail} login --api-url ${mock.url}`, { SOTAIL_CONFIG_DIR: tempConfigDir() });
    await terminal.waitFor(/Token \(input hidden\): $/m);
    terminal.keys('Enter');
    const screen = await terminal.waitFor(/\[exit \d+\]/);
    expect(screen).toContain('sotail: no token entered');
    expect(screen).toContain('[exit 2]');

    const piped = await runCli(['login', '--api-url', mock.url, '--token-stdin'], { stdin: '\n' });
    expect(piped.code).toBe(2);
  });
});
