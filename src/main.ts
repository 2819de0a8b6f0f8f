/**
 * The entry point: gathers the process's streams and signals into a context, runs the command,
 * and is the one place that turns an error into a message and an exit status.
 */
import { setFlagsFromString } from 'node:v8';
import { CommanderError } from 'commander';
import type { CliContext } from './cli/context.js';
import { buildProgram } from './cli/program.js';
import { describeError, ExitCode, exitCodeFor, InterruptedError, OutputClosedError } from './errors.js';
import { sanitizeLines } from './output/sanitize.js';
import { VERSION } from './version.js';

// undici parses HTTP with llhttp compiled to WebAssembly; optimising that module with TurboFan
// costs ~35 MB of peak RSS on the first request for no measurable gain in our workloads
// (docs/performance.md, B6). Liftoff-only must be set before undici compiles it, so: here, first.
setFlagsFromString('--liftoff-only');

export async function main(argv: readonly string[]): Promise<void> {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    interrupts += 1;
    // A second Ctrl-C means "now": the first one is already shutting down gracefully.
    if (interrupts > 1) process.exit(ExitCode.interrupted);
    controller.abort(new InterruptedError(`interrupted (${signal})`));
  };
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
    version: VERSION,
  };
  const debug = argv.includes('--debug');
  try {
    await buildProgram(context).parseAsync([...argv], { from: 'user' });
  } catch (error) {
    process.exitCode = reportError(error, context, debug);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function reportError(error: unknown, context: CliContext, debug: boolean): number {
  // Help or version, already printed by commander (parse errors arrive here as UsageError).
  if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  // Messages quote the service and the user's own input: made terminal-safe like log text.
  const text = sanitizeLines(describeError(error, { debug }));
  if (text) context.stderr.write(`${text}\n`);
  return exitCodeFor(error);
}
