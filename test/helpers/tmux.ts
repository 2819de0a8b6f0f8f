/**
 * A real terminal for end-to-end tests: a detached tmux session running a command, read with
 * capture-pane. Waits poll the screen instead of sleeping.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { expect } from 'vitest';

export function hasTmux(): boolean {
  return spawnSync('sh', ['-c', 'command -v tmux']).status === 0;
}

export interface Terminal {
  /** The visible screen as text; with `escapes`, colours and attributes as escape sequences. */
  screen(escapes?: boolean): string;
  /** Whether the program has the alternate screen on, and whether the cursor is visible. */
  modes(): { alternateScreen: boolean; cursorVisible: boolean };
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  keys(...keys: string[]): void;
  resize(cols: number, rows: number): void;
  close(): void;
}

let counter = 0;

/**
 * Runs a tmux command that may have to start the server. When the previous test closed the last
 * session, the server is still exiting for a moment, and a command that reaches it then fails
 * with "server exited unexpectedly" (seen on loaded CI machines): the next try starts a new one.
 */
function tmuxStartingServer(args: string[]): void {
  for (let attempt = 1; ; attempt++) {
    try {
      execFileSync('tmux', args, { stdio: ['ignore', 'ignore', 'pipe'] });
      return;
    } catch (error) {
      const stderr = String((error as { stderr?: unknown }).stderr ?? '');
      if (attempt >= 5 || !/server exited unexpectedly|no server running|lost server/.test(stderr))
        throw error;
      // A short pause lets the dying server finish exiting before the next try.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20 * attempt);
    }
  }
}

/**
 * One tmux server per test process (`-L`): test files run in parallel workers, and when one closes
 * the last session of a shared server, that server exits under another worker's `new-session`
 * ("server exited unexpectedly").
 */
const SERVER = ['-L', `sotail-test-${process.pid}`];

/** Starts `command` (a shell line) in a fresh tmux session of the given size. */
export function openTerminal(
  command: string,
  env: Record<string, string>,
  size = { cols: 140, rows: 40 },
): Terminal {
  const name = `sotail-test-${process.pid}-${counter++}`;
  const exports = Object.entries(env)
    .map(([key, value]) => `export ${key}='${value.replace(/'/g, "'\\''")}';`)
    .join(' ');
  // `; sleep` keeps the pane open after the command ends, so its last screen can still be read.
  tmuxStartingServer([
    ...SERVER,
    'new-session',
    '-d',
    '-s',
    name,
    '-x',
    String(size.cols),
    '-y',
    String(size.rows),
    // The tmux server inherits the test runner's CI=true; a user's terminal has none (as cliEnv).
    `unset CI CONTINUOUS_INTEGRATION; ${exports} ${command}; echo "[exit $?]"; sleep 600`,
  ]);
  const screen = (escapes = false): string =>
    execFileSync('tmux', [...SERVER, 'capture-pane', '-p', '-J', ...(escapes ? ['-e'] : []), '-t', name], {
      encoding: 'utf8',
    });
  return {
    screen,
    async waitFor(pattern, timeoutMs = 10_000) {
      await expect.poll(() => screen(), { timeout: timeoutMs, interval: 50 }).toMatch(pattern);
      return screen();
    },
    modes() {
      const flags = execFileSync(
        'tmux',
        [...SERVER, 'display-message', '-p', '-t', name, '#{alternate_on} #{cursor_flag}'],
        {
          encoding: 'utf8',
        },
      ).trim();
      return { alternateScreen: flags.startsWith('1'), cursorVisible: flags.endsWith('1') };
    },
    resize: (cols, rows) =>
      execFileSync('tmux', [...SERVER, 'resize-window', '-t', name, '-x', String(cols), '-y', String(rows)]),
    keys: (...keys) => execFileSync('tmux', [...SERVER, 'send-keys', '-t', name, ...keys]),
    close: () => {
      spawnSync('tmux', [...SERVER, 'kill-session', '-t', name]);
    },
  };
}
