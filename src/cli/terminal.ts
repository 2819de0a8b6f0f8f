/** What the terminal on stdout allows: how wide a table may be, and whether a live view can draw. */
import { closeSync, openSync } from 'node:fs';
import { ReadStream } from 'node:tty';
import type { InputStream, OutputStream } from '../util/streams.js';

/** A table's width: the terminal's, or unbounded when stdout is not a terminal. */
export function terminalWidth(stream: OutputStream): number | undefined {
  return stream.isTTY === true ? stream.columns : undefined;
}

/**
 * Whether the full-screen view can run: stdout is a terminal and this is not a CI job, where a
 * terminal (a job run under `script`, a runner with a pty) has nobody at the keys and its log
 * wants lines, not redrawn screens.
 */
export function canDrawLiveView(
  stream: OutputStream,
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  const set = (name: string): boolean =>
    env[name] !== undefined && env[name] !== '0' && env[name] !== 'false';
  return stream.isTTY === true && !set('CI') && !set('CONTINUOUS_INTEGRATION');
}

/** Where a full-screen view reads its keys, and how to let go of it. */
export interface Keyboard {
  readonly stream: NodeJS.ReadStream;
  close(): void;
}

/**
 * The keyboard of the user at the terminal: stdin when it is that terminal, else the process's
 * controlling terminal (`/dev/tty`), as less and fzf read keys when their input is a pipe
 * (`true | sotail tail`, `sotail tail < /dev/null`). Undefined when there is no terminal to read
 * at all (`setsid`, a service): a view that could not be quit must not open there.
 */
export function openKeyboard(stdin: InputStream, controllingTerminal = '/dev/tty'): Keyboard | undefined {
  const terminal = stdin as Partial<NodeJS.ReadStream>;
  if (terminal.isTTY === true && typeof terminal.setRawMode === 'function') {
    return { stream: stdin as NodeJS.ReadStream, close: () => {} };
  }
  let fd: number;
  try {
    fd = openSync(controllingTerminal, 'r');
  } catch {
    // ENXIO: no controlling terminal; ENOENT or EACCES: none that can be read.
    return undefined;
  }
  try {
    const stream = new ReadStream(fd);
    return { stream, close: () => stream.destroy() };
  } catch {
    // Not a terminal after all.
    closeSync(fd);
    return undefined;
  }
}

/**
 * Gives the terminal back however the process ends while a full-screen view owns it: an exit
 * (a crash included) and a hang-up (SIGHUP, which otherwise kills the process where it stands;
 * the signal is then raised again, so the process still ends of it). Ctrl-C and SIGTERM take the
 * program's interrupt path, which closes the view itself. Returns the removal of the guard.
 */
export function guardTerminal(restore: () => void): () => void {
  const onExit = (): void => restore();
  const onHangUp = (): void => {
    restore();
    remove();
    process.kill(process.pid, 'SIGHUP');
  };
  const remove = (): void => {
    process.off('exit', onExit);
    process.off('SIGHUP', onHangUp);
  };
  process.on('exit', onExit);
  process.on('SIGHUP', onHangUp);
  return remove;
}
