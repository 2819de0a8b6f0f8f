/**
 * What a command needs from the outside world, gathered once by the entry point so that nothing
 * below it reads `process` (and tests can hand in their own streams).
 */
import type { InputStream, OutputStream } from '../util/streams.js';

import type { Chatter } from './chatter.js';

export interface CliContext {
  stdout: OutputStream;
  stderr: OutputStream;
  stdin: InputStream;
  env: Readonly<Record<string, string | undefined>>;
  /** Aborted on Ctrl-C / SIGTERM (reason: InterruptedError) or when stdout closes (OutputClosedError). */
  signal: AbortSignal;
  /**
   * The interrupt path (src/cli/interrupts.ts): what the TUI's Ctrl-C key calls. The first call
   * aborts `signal` with `reason`; a second one forces the exit.
   */
  interrupt(reason: Error): void;
  /** Notices and warnings: stderr lines, unless a full-screen view has diverted them. */
  chatter: Chatter;
  /** The package version, for `--version` and the User-Agent. */
  version: string;
}
