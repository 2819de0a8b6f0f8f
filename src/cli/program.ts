/**
 * The command tree. Each command lives in its own module under `commands/`, with its options,
 * examples and handler together; this file only assembles them and sets what all share.
 */
import { Command, Option } from 'commander';
import { COLOR_MODES } from '../output/color.js';
import { VERSION } from '../version.js';
import { COMMAND_FACTORIES } from './commands/index.js';
import type { CliContext } from './context.js';

export function buildProgram(context: CliContext): Command {
  const program = new Command('sotail')
    .description(
      'Tail, query and ingest logs. Live views on a terminal, clean NDJSON to a pipe, no event silently lost.',
    )
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .addOption(new Option('--profile <name>', 'profile to use (env: SOTAIL_PROFILE)'))
    .addOption(new Option('--api-url <url>', 'API base URL, overriding the profile (env: SOTAIL_API_URL)'))
    .addOption(
      new Option('--color <when>', 'colour output (NO_COLOR and FORCE_COLOR are honoured)')
        .choices(COLOR_MODES)
        .default('auto'),
    )
    .addOption(new Option('--no-color', 'same as --color never'))
    .addOption(new Option('--debug', 'show stack traces and HTTP exchanges (tokens redacted)'))
    .addOption(new Option('-v, --verbose', 'say more about what is happening, on stderr'))
    .addOption(
      new Option(
        '--insecure',
        'allow sending the token over plain http:// to a host that is not this machine',
      ),
    );

  for (const factory of COMMAND_FACTORIES) program.addCommand(factory(context));
  applyToTree(program, (command) =>
    command
      .exitOverride()
      .showHelpAfterError('(add --help for usage)')
      .configureOutput({
        writeOut: (text) => context.stdout.write(text),
        writeErr: (text) => context.stderr.write(text),
      }),
  );
  return program;
}

/** Walks a command and all its descendants: settings made on the root are not inherited by addCommand. */
export function applyToTree(command: Command, apply: (command: Command) => void): void {
  apply(command);
  for (const child of command.commands) applyToTree(child, apply);
}
