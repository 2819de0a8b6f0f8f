/**
 * Per-run settings every command derives the same way from the global options: colour for each
 * stream, and the stderr voice (`info`, `verbose`, `warn`), so stdout carries only data.
 */
import type { Command } from 'commander';
import { type ColorLevel, type ColorMode, resolveColorLevel } from '../output/color.js';
import { createPalette, type Palette } from '../output/palette.js';
import type { CliContext } from './context.js';
import type { GlobalOptions } from './global-options.js';

export interface Runtime {
  globals: GlobalOptions;
  stdoutColor: ColorLevel;
  palette: Palette;
  stderrPalette: Palette;
  /** Progress and notices: stderr. */
  info(message: string): void;
  /** Shown with --verbose or --debug only. */
  verbose(message: string): void;
  warn(message: string): void;
}

export function createRuntime(context: CliContext, command: Command): Runtime {
  const globals = command.optsWithGlobals<GlobalOptions>();
  const mode: ColorMode = globals.color === false ? 'never' : globals.color;
  const stdoutColor = resolveColorLevel({ mode, env: context.env, isTTY: context.stdout.isTTY === true });
  const stderrColor = resolveColorLevel({ mode, env: context.env, isTTY: context.stderr.isTTY === true });
  const stderrPalette = createPalette(stderrColor);
  const say = (line: string): void => context.chatter.say(line);
  return {
    globals,
    stdoutColor,
    palette: createPalette(stdoutColor),
    stderrPalette,
    info: say,
    verbose: (line) => {
      if (globals.verbose || globals.debug) say(stderrPalette.dim(line));
    },
    warn: (line) => say(stderrPalette.warn(`warning: ${line}`)),
  };
}
