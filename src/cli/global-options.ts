/**
 * The options every command accepts, in a module of their own so that commands, actions and the
 * connection code can name them without importing the program (which imports every command).
 */
import { type Command, Option } from 'commander';
import { COLOR_MODES, type ColorMode } from '../output/color.js';

/** Options every command accepts (read with `command.optsWithGlobals()`). */
export interface GlobalOptions {
  profile?: string;
  apiUrl?: string;
  color: ColorMode | false;
  debug?: boolean;
  verbose?: boolean;
  /** Allow sending a token over plain http:// to a host that is not loopback. */
  insecure?: boolean;
}

/** Declares the global options on the root command. */
export function addGlobalOptions(program: Command): Command {
  return program
    .addOption(new Option('--profile <name>', 'profile to use (env: SOTAIL_PROFILE)'))
    .addOption(new Option('--api-url <url>', 'API base URL, overriding the profile (env: SOTAIL_API_URL)'))
    .addOption(
      new Option('--color <when>', 'colour output (NO_COLOR and FORCE_COLOR are honoured)')
        .choices(COLOR_MODES)
        .default('auto'),
    )
    .addOption(new Option('--no-color', 'same as --color never'))
    .addOption(new Option('--debug', 'show stack traces and HTTP exchanges (tokens redacted)'))
    .addOption(
      new Option('-v, --verbose', 'say more about what is happening, on stderr (alone: the version)'),
    )
    .addOption(
      new Option(
        '--insecure',
        'allow sending the token over plain http:// to a host that is not this machine (env: SOTAIL_INSECURE=1)',
      ),
    );
}
