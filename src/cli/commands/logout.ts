/** `sotail logout`: removes a profile's token (and the identity tied to it), keeping its URL. */
import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { quietOption } from '../options.js';
import { createRuntime } from '../runtime.js';

export function logoutCommand(context: CliContext): Command {
  return new Command('logout')
    .description("remove a profile's token from this machine (the active profile unless --profile)")
    .addOption(quietOption())
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
      const runtime = createRuntime(context, command);
      const { executeLogout } = await import('../actions/login.js');
      await executeLogout(context, runtime);
    });
}
