/**
 * The command tree. Each command lives in its own module under `commands/`, with its options,
 * examples and handler together; this file only assembles them and sets what all share: the
 * global options, the version, and one error style for commander's own parse errors.
 */
import { Command, type CommanderError } from 'commander';
import { UsageError } from '../errors.js';
import { closestName } from '../util/suggest.js';
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
      // Our own `help` command (below): commander's shows the whole help for a word it does not know.
      .helpCommand(false),
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
  program.addCommand(helpCommand(program));
  program.addCommand(completeValuesCommand(context), { hidden: true });
  applyToTree(program, (command) =>
    command
      // sotail's own options work after any command (`sotail tail --profile x`): its help says so.
      .configureHelp({ showGlobalOptions: true })
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

/**
 * `sotail help [command...]`: the help of that command (`sotail help sessions create` too), on
 * stdout. A word that is no command is an unknown command, as it is anywhere else: exit 2 with a
 * "did you mean", never the whole help as if nothing were wrong.
 */
function helpCommand(program: Command): Command {
  return new Command('help')
    .description('show help for a command')
    .argument('[command...]', 'the command, and its subcommand')
    .action((names: string[]) => {
      let target = program;
      for (const name of names) {
        const next = target.commands.find((each) => each.name() === name || each.aliases().includes(name));
        if (next === undefined) throw unknownCommandError(target, name);
        target = next;
      }
      target.outputHelp();
    });
}

/** The commands a user can name under `command` (hidden ones left out). */
function visibleCommands(command: Command): string[] {
  return command
    .createHelp()
    .visibleCommands(command)
    .map((each) => each.name());
}

/**
 * Words users bring from other tools, and the command that does it here: `sessions delete` is
 * `sessions close`, `profile rm` is `profile remove`. Only for words that are no command.
 */
const SYNONYMS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  sotail: {
    search: 'query',
    logs: 'query',
    find: 'query',
    follow: 'tail',
    watch: 'tail',
    send: 'ingest',
    push: 'ingest',
    log: 'ingest',
    signin: 'login',
    auth: 'login',
    signout: 'logout',
    me: 'whoami',
    session: 'sessions',
    profiles: 'profile',
    completions: 'completion',
  },
  'sotail sessions': {
    delete: 'close',
    rm: 'close',
    remove: 'close',
    stop: 'close',
    end: 'close',
    kill: 'close',
    ls: 'list',
    get: 'show',
    describe: 'show',
    new: 'create',
    add: 'create',
    tail: 'resume',
    follow: 'resume',
  },
  'sotail profile': {
    ls: 'list',
    rm: 'remove',
    delete: 'remove',
    switch: 'use',
    set: 'use',
    select: 'use',
    get: 'show',
    current: 'show',
  },
};

/** The command `word` probably meant under `command`: a near miss, or the synonym of another tool. */
function meantCommand(command: Command, word: string): string | undefined {
  return closestName(word, visibleCommands(command)) ?? SYNONYMS[commandPath(command)]?.[word.toLowerCase()];
}

function unknownCommandError(command: Command, word: string): UsageError {
  const meant = meantCommand(command, word);
  const path = commandPath(command);
  return new UsageError(`unknown command '${word}'`, {
    hint: meant ? `did you mean \`${path} ${meant}\`?` : `see \`${path} --help\` for the commands`,
  });
}

/** Whether `--colr` is near enough `--color` to suggest it (ours is stricter than commander's). */
function closeOption(written: string, suggested: string): boolean {
  return closestName(written.replace(/^-+/, ''), [suggested.replace(/^-+/, '')]) !== undefined;
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
  const [raw = '', ...rest] = error.message.replace(/^error: /, '').split('\n');
  // Our option parsers name the flag and the value themselves: commander's preamble would say
  // both twice ("option '--limit <n>' argument '0' is invalid. --limit takes …, got '0'").
  const first =
    /^option '[^']*' argument .* is invalid\. (-.*)$/.exec(raw)?.[1] ??
    /^command-argument value .* is invalid for argument '[^']*'\. (sessions .*)$/.exec(raw)?.[1] ??
    raw;
  const path = commandPath(command);
  if (error.code === 'commander.unknownCommand') {
    const word = /unknown command '(.*)'/.exec(first)?.[1] ?? '';
    return new UsageError(first.replace(/\.$/, ''), {
      hint: unknownCommandError(command, word).hint ?? `see \`${path} --help\``,
      cause: error,
    });
  }
  // commander's own "did you mean" is taken only when the words are close: `--follow` is not
  // `--color`, whatever its measure says.
  const suggested = /^\(Did you mean (.+)\?\)$/.exec(rest.join(' ').trim())?.[1];
  const written = /unknown option '([^']*)'/.exec(first)?.[1];
  const suggestion =
    suggested === undefined || written === undefined || closeOption(written, suggested)
      ? suggested
      : undefined;
  let hint = `see \`${path} --help\``;
  // An option parser of ours puts its advice on a line of its own (options.ts).
  const ownHint = rest.find((line) => line.startsWith('hint: '))?.slice('hint: '.length);
  if (ownHint) {
    hint = ownHint;
  } else if (suggestion) {
    hint = `did you mean ${suggestion}?`;
  } else if (
    error.code === 'commander.excessArguments' &&
    command.registeredArguments[0]?.name() === 'query'
  ) {
    hint = `quote the whole query: ${path} 'severity >= error' (unquoted, the shell splits it into words, and > or < redirect output)`;
  }
  return new UsageError(first.replace(/\.$/, ''), { hint, cause: error });
}
