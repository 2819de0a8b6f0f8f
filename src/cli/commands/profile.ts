/**
 * `sotail profile list|show|use|remove`: the profiles on this machine. Tokens are shown only
 * redacted (`so_test_…dev1`).
 */
import { Command } from 'commander';
import { RECORD_FORMATS, type RecordFormat } from '../../output/formats.js';
import type { CliContext } from '../context.js';
import { quietOption, recordOutputOption } from '../options.js';
import { createRuntime } from '../runtime.js';

export function profileCommand(context: CliContext): Command {
  const actions = () => import('../actions/profile.js');
  const profile = new Command('profile')
    .description('list, show, switch and remove the profiles (API URL + token) stored on this machine')
    .addHelpText(
      'after',
      `
Examples:
  $ sotail profile list
  $ sotail profile use staging
  $ sotail profile show
  $ sotail profile remove old-staging
`,
    );

  profile
    .command('list')
    .description('list the profiles; the active one is marked with *')
    .addOption(recordOutputOption(RECORD_FORMATS))
    .addOption(quietOption())
    .addHelpText(
      'after',
      `
Examples:
  $ sotail profile list
  $ sotail profile list | jq -r .name
`,
    )
    .action(async (flags: { output?: RecordFormat }, command: Command) => {
      const runtime = createRuntime(context, command);
      await (await actions()).listProfiles(context, runtime, { output: flags.output });
    });

  profile
    .command('show')
    .argument('[name]', 'the profile (default: --profile, SOTAIL_PROFILE, else the active one)')
    .description('show one profile: URL, identity, scopes and the token redacted')
    .addOption(recordOutputOption(RECORD_FORMATS))
    .addHelpText(
      'after',
      `
Examples:
  $ sotail profile show
  $ sotail profile show staging -o json
`,
    )
    .action(async (name: string | undefined, flags: { output?: RecordFormat }, command: Command) => {
      const runtime = createRuntime(context, command);
      await (await actions()).showProfile(context, runtime, name, { output: flags.output });
    });

  profile
    .command('use')
    .argument('<name>', 'the profile to make active')
    .description('make a profile the active one (used when neither --profile nor SOTAIL_PROFILE is given)')
    .addOption(quietOption())
    .addHelpText(
      'after',
      `
Examples:
  $ sotail profile use staging
`,
    )
    .action(async (name: string, _flags: unknown, command: Command) => {
      const runtime = createRuntime(context, command);
      await (await actions()).useProfile(context, runtime, name);
    });

  profile
    .command('remove')
    .argument('<name>', 'the profile to delete, token included')
    .description('delete a profile and its token from this machine')
    .addOption(quietOption())
    .addHelpText(
      'after',
      `
Examples:
  $ sotail profile remove old-staging
`,
    )
    .action(async (name: string, _flags: unknown, command: Command) => {
      const runtime = createRuntime(context, command);
      await (await actions()).removeProfile(context, runtime, name);
    });

  return profile;
}
