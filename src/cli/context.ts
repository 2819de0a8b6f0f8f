/**
 * What a command needs from the outside world, gathered once by the entry point so that nothing
 * below it reads `process` (and tests can hand in their own streams).
 */
import type { InputStream, OutputStream } from '../util/streams.js';

export interface CliContext {
  stdout: OutputStream;
  stderr: OutputStream;
  stdin: InputStream;
  env: Readonly<Record<string, string | undefined>>;
  /** Aborted on Ctrl-C / SIGTERM (reason: InterruptedError) or when stdout closes (OutputClosedError). */
  signal: AbortSignal;
  /** The package version, for `--version` and the User-Agent. */
  version: string;
}
