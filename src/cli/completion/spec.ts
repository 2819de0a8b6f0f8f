/**
 * A plain description of the command tree, read from commander's own definitions so completions
 * can never drift from the commands (choices such as output formats come from the same constants).
 */
import type { Command } from 'commander';
import { SEVERITIES } from '../../model/event.js';

/** Values only known when completing: the shell asks `sotail __complete KIND` for them. */
export const DYNAMIC_KINDS = ['profiles'] as const;
export type DynamicKind = (typeof DYNAMIC_KINDS)[number];

export interface OptionSpec {
  flags: string[];
  description: string;
  takesValue: boolean;
  choices: readonly string[] | undefined;
  dynamic?: DynamicKind | undefined;
  /** One of the root's options, offered again below it (a shell that completes the root's everywhere skips it). */
  inherited?: true | undefined;
}

/** Values of options that accept more spellings than they list (`--level ERR` works too). */
const VALUES_BY_FLAG: Readonly<Record<string, readonly string[]>> = { '--level': SEVERITIES };
const DYNAMIC_BY_FLAG: Readonly<Record<string, DynamicKind>> = { '--profile': 'profiles' };
/** Positional arguments completed from the machine's state, by command path. */
const DYNAMIC_ARGUMENTS: Readonly<Record<string, DynamicKind>> = {
  'profile use': 'profiles',
  'profile show': 'profiles',
  'profile remove': 'profiles',
};

export interface CommandSpec {
  /** Names from the root, e.g. ['sessions', 'create']; [] for the root. */
  path: string[];
  description: string;
  options: OptionSpec[];
  subcommands: CommandSpec[];
  /** Choices of the first positional argument, if it has any. */
  argumentChoices: readonly string[] | undefined;
  /** Where the first positional argument's values come from, when they depend on this machine. */
  argumentDynamic?: DynamicKind | undefined;
  /** Whether the command takes positional arguments (then options are offered only after a `-`). */
  takesArguments: boolean;
}

/**
 * The spec of `command` and its subcommands. The root's options (`--profile`, `--color`, …) are
 * accepted after any command too (`sotail tail --profile staging`), so every command below the
 * root offers them as well; `--version` belongs to the root alone.
 */
export function describeCommand(
  command: Command,
  path: string[] = [],
  inherited: OptionSpec[] = [],
): CommandSpec {
  const own: OptionSpec[] = command.options
    .filter((option) => !option.hidden)
    .map((option) => ({
      flags: [option.short, option.long].filter((flag): flag is string => Boolean(flag)),
      description: option.description,
      takesValue: option.required || option.optional,
      choices: option.argChoices ?? (option.long ? VALUES_BY_FLAG[option.long] : undefined),
      dynamic: option.long ? DYNAMIC_BY_FLAG[option.long] : undefined,
    }));
  const taken = new Set(own.flatMap((option) => option.flags));
  const global = inherited
    .filter((option) => !option.flags.some((flag) => taken.has(flag)))
    .map((option): OptionSpec => ({ ...option, inherited: true }));
  const help: OptionSpec = {
    flags: ['-h', '--help'],
    description: 'show help',
    takesValue: false,
    choices: undefined,
  };
  const passedOn =
    path.length === 0 ? own.filter((option) => !option.flags.includes('--version')) : inherited;
  return {
    path,
    description: command.description(),
    options: [...own, ...global, help],
    subcommands: command.commands
      .filter((child) => child.name() !== 'help' && !(child as unknown as { _hidden?: boolean })._hidden)
      .map((child) => describeCommand(child, [...path, child.name()], passedOn)),
    argumentChoices: command.registeredArguments[0]?.argChoices,
    argumentDynamic: DYNAMIC_ARGUMENTS[path.join(' ')],
    takesArguments: command.registeredArguments.length > 0,
  };
}

/** Every command in the tree, root first. */
export function flattenCommands(spec: CommandSpec): CommandSpec[] {
  return [spec, ...spec.subcommands.flatMap(flattenCommands)];
}

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];
