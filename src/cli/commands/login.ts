/**
 * `sotail login`: checks a token against the service and stores it in a profile. The token comes
 * from a hidden prompt on a terminal, or from stdin with --token-stdin; never from a flag, which
 * would land in shell history.
 */
import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { quietOption, timeoutOption } from '../options.js';
import { createRuntime } from '../runtime.js';

export function loginCommand(context: CliContext): Command {
  return new Command('login')
    .description('check a token with the service and store it in a profile (the token is never echoed)')
    .option('--token-stdin', 'read the token from a pipe instead of the hidden prompt (scripts, CI)')
    .addOption(timeoutOption())
    .addOption(quietOption())
    .addHelpText(
      'after',
      `
Uses the global --profile NAME (default "default") and --api-url URL.
A new profile needs --api-url (or SOTAIL_API_URL); logging in again reuses its stored URL.
A login without --profile, or into the first profile, makes that profile the active one.
On a terminal the token is always read hidden, even with --token-stdin.
With --insecure (or SOTAIL_INSECURE=1), a plain http:// URL on another host is remembered as
allowed for this profile, so later commands need neither.
Profiles are kept in $SOTAIL_CONFIG_DIR, else $XDG_CONFIG_HOME/sotail, else ~/.config/sotail (mode 0600).

Examples:
  $ sotail login --api-url https://logs.example.com
  $ printenv LOGS_TOKEN | sotail login --api-url https://logs.example.com --token-stdin
  $ sotail login --profile staging --api-url https://staging.logs.example.com
  $ echo so_test_sotail_dev | sotail login --api-url http://127.0.0.1:4010 --token-stdin   # after \`sotail mock\`
`,
    )
    .action(async (options: { tokenStdin?: boolean }, command: Command) => {
      const runtime = createRuntime(context, command);
      const { executeLogin } = await import('../actions/login.js');
      await executeLogin(context, runtime, { tokenStdin: options.tokenStdin === true });
    });
}
