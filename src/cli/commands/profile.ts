/**
 * `sotail profile list|show|use|remove`: the profiles on this machine. Tokens are shown only
 * redacted (`so_test_…dev1`); to a pipe, list and show print one JSON object per profile.
 */
import { Command } from 'commander';
import { UsageError } from '../../errors.js';
import type { CliContext } from '../context.js';
import type { GlobalOptions } from '../global-options.js';

export function profileCommand(context: CliContext): Command {
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
    .addHelpText(
      'after',
      '\nA table on a terminal; NDJSON (one profile per line) to a pipe.\n\n  $ sotail profile list | jq -r .name\n',
    )
    .action(async () => {
      const { store, views } = await load(context);
      const active = store.activeName();
      const list = store.list().map((entry) => views.toProfileView(entry, active));
      if (!context.stdout.isTTY) {
        context.stdout.write(views.formatProfilesNdjson(list));
      } else if (list.length === 0) {
        context.stderr.write('No profiles yet: run `sotail login --api-url URL`\n');
      } else {
        context.stdout.write(views.formatProfileTable(list));
      }
    });

  profile
    .command('show')
    .argument('[name]', 'the profile (default: --profile, SOTAIL_PROFILE, else the active one)')
    .description('show one profile: URL, identity, scopes and the token redacted')
    .addHelpText('after', '\n  $ sotail profile show\n  $ sotail profile show staging\n')
    .action(async (name: string | undefined, _options: unknown, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const { store, views } = await load(context);
      const active = store.activeName();
      const wanted = name ?? globals.profile ?? (context.env.SOTAIL_PROFILE || undefined) ?? active;
      if (wanted === undefined) {
        throw new UsageError('no active profile', {
          hint: 'run `sotail login`, or name one: `sotail profile show NAME`',
        });
      }
      const found = store.get(wanted);
      if (!found) throw new UsageError(`no profile named "${wanted}"`, { hint: 'see `sotail profile list`' });
      const view = views.toProfileView({ name: wanted, ...found }, active);
      context.stdout.write(
        context.stdout.isTTY
          ? views.formatProfileDetails(view, store.path)
          : views.formatProfilesNdjson([view]),
      );
    });

  profile
    .command('use')
    .argument('<name>', 'the profile to make active')
    .description('make a profile the active one (used when neither --profile nor SOTAIL_PROFILE is given)')
    .addHelpText('after', '\n  $ sotail profile use staging\n')
    .action(async (name: string) => {
      const { store } = await load(context);
      store.use(name);
      context.stderr.write(`Now using profile "${name}" (${store.get(name)?.apiUrl ?? '?'})\n`);
      if (context.env.SOTAIL_PROFILE && context.env.SOTAIL_PROFILE !== name) {
        context.stderr.write(
          `Note: SOTAIL_PROFILE=${context.env.SOTAIL_PROFILE} is set and takes precedence\n`,
        );
      }
    });

  profile
    .command('remove')
    .argument('<name>', 'the profile to delete, token included')
    .description('delete a profile and its token from this machine')
    .addHelpText('after', '\n  $ sotail profile remove old-staging\n')
    .action(async (name: string) => {
      const { store } = await load(context);
      const wasActive = store.activeName() === name;
      if (!store.remove(name)) {
        throw new UsageError(`no profile named "${name}"`, { hint: 'see `sotail profile list`' });
      }
      context.stderr.write(`Removed profile "${name}"\n`);
      if (wasActive)
        context.stderr.write('No profile is active now: choose one with `sotail profile use NAME`\n');
    });

  return profile;
}

async function load(context: CliContext) {
  const [{ openProfileStore }, views] = await Promise.all([
    import('../connect.js'),
    import('../../config/views.js'),
  ]);
  return { store: await openProfileStore(context), views };
}
