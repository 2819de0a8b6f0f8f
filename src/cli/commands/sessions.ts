/** `sotail sessions`: server-side, resumable tail sessions (create, list, show, close). */
import { Command, InvalidArgumentError } from 'commander';
import { RECORD_FORMATS } from '../../output/formats.js';
import type { SessionCreateInput, SessionOutputInput } from '../actions/sessions.js';
import type { CliContext } from '../context.js';
import { type LiveFlags, tailConfig, withLiveOptions } from '../live-options.js';
import { parseSessionId, quietOption, recordOutputOption, timeoutOption } from '../options.js';
import { createRuntime, type Runtime } from '../runtime.js';

type SessionsModule = typeof import('../actions/sessions.js');

/**
 * Cursors are opaque to a client (the contract's own example is `cursor-0000001`), so any printable
 * token is passed on; the service decides, and treats one it never issued as stale (docs/api.md).
 */
function parseCursor(value: string): string {
  if (!/^[\x21-\x7e]{1,255}$/.test(value.trim())) {
    throw new InvalidArgumentError(
      `--from-cursor takes a cursor (printable, no spaces, as \`sotail sessions show\` prints it), got '${value}'`,
    );
  }
  return value.trim();
}

/** The options every subcommand shares: how to print, how long to wait, and whether to say more. */
function withCommonOptions(command: Command): Command {
  return command
    .addOption(recordOutputOption(RECORD_FORMATS))
    .addOption(timeoutOption())
    .addOption(quietOption());
}

function examples(lines: readonly string[]): string {
  return `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}`;
}

export function sessionsCommand(context: CliContext): Command {
  const run =
    <A extends unknown[]>(handler: (module: SessionsModule, runtime: Runtime, ...args: A) => Promise<void>) =>
    async (...args: [...A, Command]): Promise<void> => {
      const command = args.at(-1) as Command;
      const runtime = createRuntime(context, command);
      const module = await import('../actions/sessions.js');
      await handler(module, runtime, ...(args.slice(0, -1) as A));
    };

  const sessions = new Command('sessions')
    .description('manage server-side tail sessions that remember their filter and position')
    .addHelpText(
      'after',
      examples([
        "sotail sessions create --filter 'severity >= error' --service payments",
        "id=$(sotail sessions create --filter 'level=error' --service api | jq -r .id)",
        'sotail sessions list',
        'sotail sessions show "$id"',
        'sotail sessions resume "$id"          # the same as: sotail tail --session "$id"',
        'sotail sessions close "$id"',
      ]),
    );

  withCommonOptions(
    sessions
      .command('create')
      .description('create a session for one service; it starts from now unless --from-cursor is given')
      .requiredOption('--filter <query>', 'SOQL filter the session tails')
      .requiredOption(
        '--service <name>',
        'the service (event source) the session tails; the API requires one',
      )
      .option('--from-cursor <cursor>', 'resume from this cursor instead of now', parseCursor),
  )
    .addHelpText(
      'after',
      examples([
        "sotail sessions create --filter 'severity >= error' --service payments",
        "sotail sessions create --filter 'source == api' --service api --from-cursor 1234",
        "id=$(sotail sessions create --filter 'level=error' --service api | jq -r .id)",
      ]),
    )
    .action(
      run(async (module, runtime, flags: SessionCreateInput) =>
        module.createSession(context, runtime, flags),
      ),
    );

  withCommonOptions(sessions.command('list').description('list sessions'))
    .addHelpText(
      'after',
      examples(['sotail sessions list', "sotail sessions list | jq -r 'select(.active) | .id'"]),
    )
    .action(
      run(async (module, runtime, flags: SessionOutputInput) => module.listSessions(context, runtime, flags)),
    );

  withCommonOptions(
    sessions
      .command('show')
      .description('show one session')
      .argument('<id>', 'session id', parseSessionId('sessions show')),
  )
    .addHelpText(
      'after',
      examples(['sotail sessions show "$id"', 'sotail sessions show "$id" | jq -r .lastCursor']),
    )
    .action(
      run(async (module, runtime, id: string, flags: SessionOutputInput) =>
        module.showSession(context, runtime, id, flags),
      ),
    );

  withLiveOptions(
    sessions
      .command('resume')
      .description('tail a session from where it last stopped, saving its position as events are written')
      .argument('<id>', 'session id', parseSessionId('sessions resume')),
  )
    .addHelpText(
      'after',
      examples([
        'sotail sessions resume "$id"',
        'sotail sessions resume "$id" | jq -r .message     # NDJSON to a pipe; Ctrl-C, then resume later',
        'sotail sessions resume "$id" --count 10 --timeout 5m',
      ]),
    )
    .action(async (id: string, flags: LiveFlags, command: Command) => {
      const runtime = createRuntime(context, command);
      const { executeTail } = await import('../actions/tail.js');
      await executeTail(context, runtime, await tailConfig(context, flags, { kind: 'session', id }));
    });

  withCommonOptions(
    sessions
      .command('close')
      .description('close a session (an open tail on it ends)')
      .argument('<id>', 'session id', parseSessionId('sessions close')),
  )
    .addHelpText('after', examples(['sotail sessions close "$id"', 'sotail sessions close "$id" -o json']))
    .action(
      run(async (module, runtime, id: string, flags: SessionOutputInput) =>
        module.closeSession(context, runtime, id, flags),
      ),
    );

  return sessions;
}
