/**
 * Runs a command in this process, as `bin/sotail` would but with stream stand-ins: stdout and
 * stderr are collected, stdin is whatever the test writes, and the terminal flags are the test's
 * to set. With vi.useFakeTimers() this tests reconnect, heartbeat and backoff logic without
 * sleeping. Spawning the built bin stays the way to test the real process (signals, pipes, TTYs).
 */
import { PassThrough } from 'node:stream';
import { createChatter } from '../../src/cli/chatter.js';
import type { CliContext } from '../../src/cli/context.js';
import { createInterrupts } from '../../src/cli/interrupts.js';
import { InterruptedError } from '../../src/errors.js';
import { run } from '../../src/main.js';

export interface FakeTerminal {
  isTTY?: boolean;
  columns?: number;
  rows?: number;
}

export interface InProcessOptions {
  env?: Record<string, string | undefined>;
  stdout?: FakeTerminal;
  stderr?: FakeTerminal;
  stdin?: { isTTY?: boolean };
}

export interface FakeRun {
  context: CliContext;
  stdin: PassThrough;
  /** Everything written to stdout (and stderr) so far. */
  stdout(): string;
  stderr(): string;
  /** What the user's Ctrl-C does: aborts the run (a second call records a forced exit). */
  interrupt(): void;
  forcedExit(): boolean;
}

export interface InProcessRun extends FakeRun {
  /** Resolves with the exit status, as the entry point would set it. */
  exited: Promise<number>;
}

function collected(terminal: FakeTerminal | undefined): { stream: PassThrough; text: () => string } {
  const stream = Object.assign(new PassThrough(), terminal ?? {});
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  return { stream, text: () => text };
}

/** A context of stand-ins, for tests that call actions or connect() directly. */
export function fakeContext(options: InProcessOptions = {}): FakeRun {
  const out = collected(options.stdout);
  const err = collected(options.stderr);
  const stdin = Object.assign(new PassThrough(), options.stdin ?? {});
  const controller = new AbortController();
  let forced = false;
  const interrupts = createInterrupts(controller, () => {
    forced = true;
  });
  const context: CliContext = {
    stdout: out.stream,
    stderr: err.stream,
    stdin,
    env: { ...options.env },
    signal: controller.signal,
    interrupt: interrupts.interrupt,
    chatter: createChatter(err.stream),
    version: '0.0.0-test',
  };
  return {
    context,
    stdin,
    stdout: out.text,
    stderr: err.text,
    interrupt: () => interrupts.interrupt(new InterruptedError('interrupted (SIGINT)')),
    forcedExit: () => forced,
  };
}

/** Starts `sotail ARGV` in process; await `exited` for its status. */
export function runInProcess(argv: readonly string[], options: InProcessOptions = {}): InProcessRun {
  const fake = fakeContext(options);
  return { ...fake, exited: run(argv, fake.context) };
}
