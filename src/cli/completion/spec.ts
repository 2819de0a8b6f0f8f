/**
 * A plain description of the command tree, read from commander's own definitions so completions
 * can never drift from the commands (choices such as output formats come from the same constants).
 */
import type { Command } from 'commander';

export interface OptionSpec {
  flags: string[];
  description: string;
  takesValue: boolean;
  choices: readonly string[] | undefined;
}

export interface CommandSpec {
  /** Names from the root, e.g. ['sessions', 'create']; [] for the root. */
  path: string[];
  description: string;
  options: OptionSpec[];
  subcommands: CommandSpec[];
  /** Choices of the first positional argument, if it has any. */
  argumentChoices: readonly string[] | undefined;
}

export function describeCommand(command: Command, path: string[] = []): CommandSpec {
  const options: OptionSpec[] = command.options
    .filter((option) => !option.hidden)
    .map((option) => ({
      flags: [option.short, option.long].filter((flag): flag is string => Boolean(flag)),
      description: option.description,
      takesValue: option.required || option.optional,
      choices: option.argChoices,
    }));
  options.push({ flags: ['-h', '--help'], description: 'show help', takesValue: false, choices: undefined });
  return {
    path,
    description: command.description(),
    options,
    subcommands: command.commands
      .filter((child) => child.name() !== 'help')
      .map((child) => describeCommand(child, [...path, child.name()])),
    argumentChoices: command.registeredArguments[0]?.argChoices,
  };
}

/** Every command in the tree, root first. */
export function flattenCommands(spec: CommandSpec): CommandSpec[] {
  return [spec, ...spec.subcommands.flatMap(flattenCommands)];
}

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];
