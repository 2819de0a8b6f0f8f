/** `sotail whoami`: asks the service whose token this is (`GET /auth/whoami`). */
import { Command } from 'commander';
import type { CliContext } from '../context.js';
import type { GlobalOptions } from '../global-options.js';

export function whoamiCommand(context: CliContext): Command {
  return new Command('whoami')
    .description('show the org, tier and scopes of the token in use (checks it with the service)')
    .addHelpText(
      'after',
      `
Readable lines on a terminal; one JSON object when stdout is a pipe.
The token comes from SOTAIL_TOKEN, else the profile (--profile, SOTAIL_PROFILE, else the active one).

Examples:
  $ sotail whoami
  $ sotail whoami --profile staging
  $ sotail whoami | jq -r .tier
`,
    )
    .action(async (_options: unknown, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const [{ connect }, views] = await Promise.all([
        import('../connect.js'),
        import('../../config/views.js'),
      ]);
      const connection = await connect(context, globals);
      try {
        const whoami = await connection.client.whoami();
        const origin = {
          apiUrl: connection.apiUrl,
          profile: connection.profileName,
          redactedToken: connection.token?.redacted(),
        };
        context.stdout.write(
          context.stdout.isTTY
            ? views.formatWhoAmI(whoami, origin)
            : `${JSON.stringify(views.toWhoAmIView(whoami, origin))}\n`,
        );
      } finally {
        await connection.client.close();
      }
    });
}
