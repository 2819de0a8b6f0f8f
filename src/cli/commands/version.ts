/** `sotail version`: the same as `sotail --version` and `sotail -V`, for those who type it as a word. */
import { Command } from 'commander';
import type { CliContext } from '../context.js';

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
    .action(() => {
      context.stdout.write(`${context.version}\n`);
    });
}
