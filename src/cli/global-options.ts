/**
 * The options every command accepts, in a module of their own so that commands, actions and the
 * connection code can name them without importing the program (which imports every command).
 */
import { type Command, Option } from 'commander';
import { DEFAULT_TIMEOUTS } from '../api/client-types.js';
import { COLOR_MODES, type ColorMode } from '../output/color.js';
import { formatDurationMs } from '../util/duration.js';
import { parseDurationOption } from './options.js';

/** Options every command accepts (read with `command.optsWithGlobals()`). */
export interface GlobalOptions {
  profile?: string;
  apiUrl?: string;
  color: ColorMode | false;
  debug?: boolean;
  verbose?: boolean;
  /** Allow sending a token over plain http:// to a host that is not loopback. */
  insecure?: boolean;
  /** How long to wait for a connection to the service (ms); set by its default. */
  connectTimeout?: number;
  /** How long the service may take to start answering, or stay silent mid-answer (ms). */
  responseTimeout?: number;
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
    .addOption(
      new Option('--connect-timeout <duration>', 'give up connecting to the service after this long (exit 5)')
        .argParser(parseDurationOption('--connect-timeout'))
        .default(DEFAULT_TIMEOUTS.connectMs, formatDurationMs(DEFAULT_TIMEOUTS.connectMs)),
    )
    .addOption(
      new Option(
        '--response-timeout <duration>',
        'give up when the service takes this long to start answering, or goes silent mid-answer (exit 5; the live tail has --heartbeat-timeout)',
      )
        .argParser(parseDurationOption('--response-timeout'))
        .default(DEFAULT_TIMEOUTS.headersMs, formatDurationMs(DEFAULT_TIMEOUTS.headersMs)),
    )
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
