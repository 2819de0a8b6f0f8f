/**
 * What every real-terminal test file sets up: its own mock process for the file, the built CLI as
 * a shell command, and each test's terminal closed after it. Runs wherever tmux is (CI installs
 * it in .ci/run, and there a missing tmux is a failure, not a skip).
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { BIN } from './cli.js';
import { type MockProcess, startMockProcess } from './mock-process.js';
import { hasTmux, openTerminal, type Terminal } from './tmux.js';

export const terminalRunnable = process.env.CI === 'true' || hasTmux();

/** The built CLI, quoted for a shell line. */
export const SOTAIL_COMMAND = `"${process.execPath}" "${BIN}"`;

export interface TerminalSuite {
  /** The file's mock, started before its first test. */
  mock(): MockProcess;
  /** Opens the test's terminal (as `openTerminal`); it is closed once the test ends. */
  open: typeof openTerminal;
}

/** Registers the hooks of a file of terminal tests, with a mock started with `mockArgs`. */
export function terminalSuite(mockArgs: string[]): TerminalSuite {
  let mock: MockProcess | undefined;
  let current: Terminal | undefined;
  beforeAll(async () => {
    mock = await startMockProcess(mockArgs);
  });
  afterAll(async () => {
    await mock?.stop();
  });
  afterEach(() => {
    current?.close();
    current = undefined;
  });
  return {
    mock: () => {
      if (mock === undefined) throw new Error('the mock starts in beforeAll');
      return mock;
    },
    open: (command, env, size) => {
      current = openTerminal(command, env, size);
      return current;
    },
  };
}
