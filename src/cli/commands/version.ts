/** `sotail version`: the same as `sotail --version` and `sotail -V`, for those who type it as a word. */
import { Command } from 'commander';
import { writeAll } from '../../output/writer.js';
import type { CliContext } from '../context.js';

/** The `version` command: prints the version on stdout. */
export function versionCommand(context: CliContext): Command {
  return new Command('version')
    .description('print the version (also: --version, -V, or -v alone)')
    .addHelpText(
      'after',
      `
Examples:
  $ sotail version
  $ sotail --version`,
    )
    .action(async () => {
      await writeAll(context.stdout, `${context.version}\n`);
    });
}
