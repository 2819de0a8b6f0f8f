/**
 * `sotail login`: checks a token against the service and stores it in a profile. The token comes
 * from a hidden prompt on a terminal, or from stdin with --token-stdin; never from a flag, which
 * would land in shell history.
 */
import { Command } from 'commander';
import { UsageError } from '../../errors.js';
import type { CliContext } from '../context.js';
import type { GlobalOptions } from '../global-options.js';

interface LoginOptions {
  tokenStdin?: boolean;
}

export function loginCommand(context: CliContext): Command {
  return new Command('login')
    .description('check a token with the service and store it in a profile (the token is never echoed)')
    .option('--token-stdin', 'read the token from stdin instead of a hidden prompt (scripts, CI)')
    .addHelpText(
      'after',
      `
Uses the global --profile NAME (default "default") and --api-url URL.
A new profile needs --api-url (or SOTAIL_API_URL); logging in again reuses its stored URL.
A login without --profile, or into the first profile, makes that profile the active one.
Profiles are kept in $SOTAIL_CONFIG_DIR, else $XDG_CONFIG_HOME/sotail, else ~/.config/sotail (mode 0600).

Examples:
  $ sotail login --api-url https://logs.example.com
  $ printenv LOGS_TOKEN | sotail login --api-url https://logs.example.com --token-stdin
  $ sotail login --profile staging --api-url https://staging.logs.example.com
  $ echo so_test_sotail_dev | sotail login --api-url http://127.0.0.1:4010 --token-stdin   # after \`sotail mock\`
`,
    )
    .action(async (options: LoginOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const [{ openProfileStore, createApiClient }, { login, formatLoginSummary }, secretInput, { Token }] =
        await Promise.all([
          import('../connect.js'),
          import('../../config/login.js'),
          import('../../config/secret-input.js'),
          import('../../model/token.js'),
        ]);
      if (!options.tokenStdin && !secretInput.canPromptHidden(context.stdin)) {
        throw new UsageError('stdin is not a terminal, so there is no hidden prompt: pass --token-stdin', {
          hint: 'printenv LOGS_TOKEN | sotail login --token-stdin --api-url URL',
        });
      }
      const store = await openProfileStore(context);
      const profile = globals.profile ?? (context.env.SOTAIL_PROFILE || undefined);
      const result = await login(
        {
          profile,
          profileExplicit: profile !== undefined,
          apiUrl: globals.apiUrl ?? (context.env.SOTAIL_API_URL || undefined),
          insecure: globals.insecure ?? false,
        },
        {
          store,
          readToken: async () =>
            Token.from(
              options.tokenStdin
                ? await secretInput.readSecretFromStream(context.stdin, context.signal)
                : await secretInput.readHiddenLine(
                    context.stdin,
                    context.stderr,
                    'Token (input hidden): ',
                    context.signal,
                  ),
            ),
          checkToken: async (baseUrl, token) => {
            const client = await createApiClient(context, globals, { baseUrl, token });
            try {
              return await client.whoami();
            } finally {
              await client.close();
            }
          },
        },
      );
      context.stderr.write(formatLoginSummary(result, context.env));
    });
}
