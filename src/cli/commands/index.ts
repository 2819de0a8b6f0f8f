import type { Command } from 'commander';
import type { CliContext } from '../context.js';

export type CommandFactory = (context: CliContext) => Command;

/** Every top-level command, in the order `--help` lists them. */
export const COMMAND_FACTORIES: readonly CommandFactory[] = [];
