/**
 * Per-run settings every command derives the same way from its options: colour for each stream,
 * the run's signal (Ctrl-C, and `--timeout` where the command has it), and the stderr voice
 * (`info`, `verbose`, `warn`), so stdout carries only data. Everything said on stderr goes through
 * the chatter, which makes it terminal-safe whatever it quotes (docs/design.md).
 */
import type { Command } from 'commander';
import { type ColorLevel, type ColorMode, resolveColorLevel } from '../output/color.js';
import { createPalette, type Palette } from '../output/palette.js';
import { withTimeout } from '../util/abort.js';
import { type ChatterLine, styled } from './chatter.js';
import type { CliContext } from './context.js';
import type { GlobalOptions } from './global-options.js';

/** The global options plus the per-command ones the runtime honours (`-q`, `--timeout`). */
interface RuntimeOptions extends GlobalOptions {
  quiet?: boolean;
  timeout?: number;
}

export interface Runtime {
  globals: GlobalOptions;
  /** `-q`: notices (`info`) are dropped; warnings and errors still show. */
  quiet: boolean;
  /** Aborted on Ctrl-C, when stdout closes, and when the command's `--timeout` runs out. */
  signal: AbortSignal;
  /** The command's `--timeout`, for work that must start its clock later than the command. */
  timeoutMs: number | undefined;
  /** When the command started (and its --timeout with it), for "in 3s" in a summary. */
  startedAtMs: number;
  stdoutColor: ColorLevel;
  palette: Palette;
  stderrPalette: Palette;
  /**
   * Progress and notices: stderr, unless `-q`, made terminal-safe and then styled (chatter.ts).
   * Several lines are given as an array: a line break inside a text is shown escaped.
   */
  info(message: string | readonly string[], style?: 'dim' | 'bold'): void;
  /** Shown with --verbose or --debug only. */
  verbose(message: string): void;
  /** `sotail: warning: …` on stderr, even with `-q`. */
  warn(message: string): void;
}

export function createRuntime(context: CliContext, command: Command): Runtime {
  const options = command.optsWithGlobals<RuntimeOptions>();
  const { quiet, timeout, ...globals } = options;
  const mode: ColorMode = globals.color === false ? 'never' : globals.color;
  const stdoutColor = resolveColorLevel({ mode, env: context.env, isTTY: context.stdout.isTTY === true });
  const stderrColor = resolveColorLevel({ mode, env: context.env, isTTY: context.stderr.isTTY === true });
  const stderrPalette = createPalette(stderrColor);
  const say = (line: ChatterLine): void => context.chatter.say(line);
  return {
    globals,
    quiet: quiet === true,
    signal: withTimeout(context.signal, timeout),
    timeoutMs: timeout,
    startedAtMs: Date.now(),
    stdoutColor,
    palette: createPalette(stdoutColor),
    stderrPalette,
    info: (message, style) => {
      if (quiet) return;
      for (const line of typeof message === 'string' ? [message] : message) {
        say(style ? styled(stderrPalette[style], line) : line);
      }
    },
    verbose: (line) => {
      if (globals.verbose || globals.debug) say(styled(stderrPalette.dim, line));
    },
    warn: (line) => say(styled(stderrPalette.warn, `sotail: warning: ${line}`)),
  };
}
