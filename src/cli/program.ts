/**
 * The command tree. Each command lives in its own module under `commands/`, with its options,
 * examples and handler together; this file only assembles them and sets what all share: the
 * global options, the version, and one error style for commander's own parse errors.
 */
import { Command, type CommanderError } from 'commander';
import { UsageError } from '../errors.js';
import { VERSION } from '../version.js';
import { completeValuesCommand } from './commands/completion.js';
import { COMMAND_FACTORIES } from './commands/index.js';
import type { CliContext } from './context.js';
import { addGlobalOptions, type GlobalOptions } from './global-options.js';

/** commander's ways of ending a run that are not mistakes (help or version shown on request). */
const NOT_AN_ERROR = new Set(['commander.helpDisplayed', 'commander.version', 'commander.help']);

export function buildProgram(context: CliContext): Command {
  const program = addGlobalOptions(
    new Command('sotail')
      .description(
        'Tail, query and ingest logs. Live views on a terminal, clean NDJSON to a pipe, no event silently lost.',
      )
      .version(VERSION, '-V, --version', 'print the version')
      .helpOption('-h, --help', 'show help')
      // commander drops its `help` command once the root has an action: keep it.
      .helpCommand('help [command]', 'show help for a command'),
  )
    // The root runs only when no command is named: `sotail -v` alone asks for the version (as it
    // does of node and npm), `sotail` alone for help; any other word is an unknown command.
    .allowExcessArguments(true)
    .action((_options: unknown, command: Command) => {
      if (command.args.length > 0) (command as unknown as { unknownCommand(): never }).unknownCommand();
      if (command.opts<GlobalOptions>().verbose) context.stdout.write(`${VERSION}\n`);
      else command.help({ error: true });
    });

  for (const factory of COMMAND_FACTORIES) program.addCommand(factory(context));
  program.addCommand(completeValuesCommand(context), { hidden: true });
  applyToTree(program, (command) =>
    command
      .exitOverride((error) => {
        throw NOT_AN_ERROR.has(error.code) ? error : usageErrorFrom(error, command);
      })
      .configureOutput({
        writeOut: (text) => context.stdout.write(text),
        writeErr: (text) => context.stderr.write(text),
        // Parse errors are reported by the entry point, in the same style as every other error.
        outputError: () => {},
      }),
  );
  return program;
}

/** Walks a command and all its descendants: settings made on the root are not inherited by addCommand. */
export function applyToTree(command: Command, apply: (command: Command) => void): void {
  apply(command);
  for (const child of command.commands) applyToTree(child, apply);
}

/** The command as typed: `sotail sessions create`. */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let at: Command | null = command; at; at = at.parent) names.unshift(at.name());
  return names.join(' ');
}

/**
 * A commander parse error as a UsageError: its message without commander's `error: ` prefix, its
 * "Did you mean …?" as the hint, else a pointer to the command's help; an unquoted query split by
 * the shell gets a hint to quote it.
 */
export function usageErrorFrom(error: CommanderError, command: Command): UsageError {
  const [first = '', ...rest] = error.message.replace(/^error: /, '').split('\n');
  const suggestion = /^\(Did you mean (.+)\?\)$/.exec(rest.join(' ').trim())?.[1];
  const path = commandPath(command);
  let hint = `see \`${path} --help\``;
  if (suggestion !== undefined) {
    hint =
      error.code === 'commander.unknownCommand'
        ? `did you mean \`${path} ${suggestion}\`?`
        : `did you mean ${suggestion}?`;
  } else if (
    error.code === 'commander.excessArguments' &&
    command.registeredArguments[0]?.name() === 'query'
  ) {
    hint = `quote the whole query: ${path} 'severity >= error' (unquoted, the shell splits it into words, and > or < redirect output)`;
  }
  return new UsageError(first.replace(/\.$/, ''), { hint, cause: error });
}
