/** `sotail sessions`: server-side, resumable tail sessions (create, list, show, close). */
import { Command, Option } from 'commander';
import { RECORD_FORMATS, type RecordFormat } from '../../output/formats.js';
import type { CliContext } from '../context.js';
import { createRuntime, type Runtime } from '../runtime.js';

type SessionsModule = typeof import('../actions/sessions.js');

const outputOption = (): Option =>
  new Option('-o, --output <format>', 'output format (default: table on a terminal, json otherwise)').choices(
    RECORD_FORMATS,
  );

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
      `
Examples:
  $ sotail sessions create --filter 'severity >= error' --service payments
  $ id=$(sotail sessions create --filter 'level=error' --service api | jq -r .id)
  $ sotail sessions list
  $ sotail sessions show "$id"
  $ sotail sessions close "$id"`,
    );

  sessions
    .command('create')
    .description('create a session for one service; it starts from now unless --from-cursor is given')
    .requiredOption('--filter <query>', 'SOQL filter the session tails')
    .requiredOption('--service <name>', 'the service (event source) the session tails; the API requires one')
    .option('--from-cursor <cursor>', 'resume from this cursor instead of now')
    .addOption(outputOption())
    .action(
      run(
        async (
          module,
          runtime,
          flags: { filter: string; service: string; fromCursor?: string; output?: RecordFormat },
        ) => module.createSession(context, runtime, flags),
      ),
    );

  sessions
    .command('list')
    .description('list sessions')
    .addOption(outputOption())
    .action(
      run(async (module, runtime, flags: { output?: RecordFormat }) =>
        module.listSessions(context, runtime, flags),
      ),
    );

  sessions
    .command('show')
    .description('show one session')
    .argument('<id>', 'session id')
    .addOption(outputOption())
    .action(
      run(async (module, runtime, id: string, flags: { output?: RecordFormat }) =>
        module.showSession(context, runtime, id, flags),
      ),
    );

  sessions
    .command('close')
    .description('close a session (an open tail on it ends)')
    .argument('<id>', 'session id')
    .addOption(outputOption())
    .action(
      run(async (module, runtime, id: string, flags: { output?: RecordFormat }) =>
        module.closeSession(context, runtime, id, flags),
      ),
    );

  return sessions;
}
