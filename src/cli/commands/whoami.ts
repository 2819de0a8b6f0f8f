/** `sotail whoami`: asks the service whose token this is (`GET /auth/whoami`). */
import { Command } from 'commander';
import { RECORD_FORMATS, type RecordFormat } from '../../output/formats.js';
import type { CliContext } from '../context.js';
import { recordOutputOption, timeoutOption } from '../options.js';
import { createRuntime } from '../runtime.js';

export function whoamiCommand(context: CliContext): Command {
  return new Command('whoami')
    .description('show the org, tier and scopes of the token in use (checks it with the service)')
    .addOption(recordOutputOption(RECORD_FORMATS))
    .addOption(timeoutOption())
    .addHelpText(
      'after',
      `
The token comes from SOTAIL_TOKEN, else the profile (--profile, SOTAIL_PROFILE, else the active one),
and is shown redacted the same way everywhere.

Examples:
  $ sotail whoami
  $ sotail whoami --profile staging
  $ sotail whoami | jq -r .tier
  $ sotail whoami -o json
`,
    )
    .action(async (flags: { output?: RecordFormat }, command: Command) => {
      const runtime = createRuntime(context, command);
      const { showWhoAmI } = await import('../actions/whoami.js');
      await showWhoAmI(context, runtime, { output: flags.output });
    });
}
