/** `sotail logout`: removes a profile's token (and the identity tied to it), keeping its URL. */
import { Command } from 'commander';
import type { CliContext } from '../context.js';
import type { GlobalOptions } from '../global-options.js';

export function logoutCommand(context: CliContext): Command {
  return new Command('logout')
    .description("remove a profile's token from this machine (the active profile unless --profile)")
    .addHelpText(
      'after',
      `
The profile keeps its API URL, so \`sotail login --profile NAME\` logs in again without flags;
\`sotail profile remove NAME\` forgets it entirely. The token itself stays valid on the service.

Examples:
  $ sotail logout
  $ sotail logout --profile staging
`,
    )
    .action(async (_options: unknown, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const [{ openProfileStore }, { logout }] = await Promise.all([
        import('../connect.js'),
        import('../../config/login.js'),
      ]);
      const store = await openProfileStore(context);
      const result = logout(store, globals.profile ?? (context.env.SOTAIL_PROFILE || undefined));
      context.stderr.write(
        result.removedToken
          ? `Logged out of profile "${result.profileName}" (${result.apiUrl}): token removed from ${store.path}\n`
          : `Profile "${result.profileName}" had no token: nothing to remove\n`,
      );
      if (context.env.SOTAIL_TOKEN) {
        context.stderr.write('Note: SOTAIL_TOKEN is still set in this environment and is used instead\n');
      }
    });
}
