/**
 * The entry point: gathers the process's streams and signals into a context, runs the command,
 * and is the one place that turns an error into a message and an exit status.
 */
import { type Command, CommanderError } from 'commander';
import { createChatter } from './cli/chatter.js';
import type { CliContext } from './cli/context.js';
import { createInterrupts } from './cli/interrupts.js';
import { buildProgram, commandPath } from './cli/program.js';
import { preferSmallHeap } from './cli/v8-tuning.js';
import { describeError, ExitCode, exitCodeFor, InterruptedError, OutputClosedError } from './errors.js';
import { VERSION } from './version.js';

// Before anything loads undici (docs/performance.md, B6).
preferSmallHeap();

export async function main(argv: readonly string[]): Promise<void> {
  const controller = new AbortController();
  // exit() can cut off pending pipe writes, so it is kept for the user's second Ctrl-C only.
  const interrupts = createInterrupts(controller, () => process.exit(ExitCode.interrupted));
  const onSignal = (signal: NodeJS.Signals): void =>
    interrupts.interrupt(new InterruptedError(`interrupted (${signal})`));
  const onStdoutError = (error: NodeJS.ErrnoException): void => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') {
      controller.abort(new OutputClosedError('stdout closed'));
    } else {
      controller.abort(error);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.stdout.on('error', onStdoutError);

  const context: CliContext = {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    signal: controller.signal,
    interrupt: interrupts.interrupt,
    chatter: createChatter(process.stderr),
    version: VERSION,
  };
  try {
    process.exitCode = await run(argv, context);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/**
 * Runs one command line against a context and returns its exit status. Tests call it in process
 * with stream stand-ins (and fake timers), so that reconnect and heartbeat logic runs without
 * sleeping; `main` calls it with the real process.
 */
export async function run(argv: readonly string[], context: CliContext): Promise<number> {
  const debug = argv.includes('--debug');
  const program = buildProgram(context);
  // The command that ran, so that an error without a hint of its own points at its help.
  let ran: Command = program;
  program.hook('preAction', (_root, command) => {
    ran = command;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ExitCode.ok;
  } catch (error) {
    return reportError(error, context, { debug, help: `${commandPath(ran)} --help` });
  }
}

function reportError(error: unknown, context: CliContext, options: { debug: boolean; help: string }): number {
  // Help or version, already printed by commander (parse errors arrive here as UsageError).
  if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  // Messages quote the service and the user's own input: the chatter makes each line safe.
  for (const line of describeError(error, options)) context.chatter.say(line);
  return exitCodeFor(error);
}
