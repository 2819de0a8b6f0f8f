/** `sotail completion <shell>`: prints a completion script generated from the command tree. */
import { Argument, Command } from 'commander';
import { bashScript } from '../completion/bash.js';
import { fishScript } from '../completion/fish.js';
import { DYNAMIC_KINDS, type DynamicKind, describeCommand, SHELLS, type Shell } from '../completion/spec.js';
import { zshScript } from '../completion/zsh.js';
import type { CliContext } from '../context.js';

const GENERATORS = { bash: bashScript, zsh: zshScript, fish: fishScript } as const;

export function completionCommand(context: CliContext): Command {
  return new Command('completion')
    .description('print a shell completion script')
    .addArgument(new Argument('<shell>', 'the shell to complete in').choices(SHELLS))
    .addHelpText(
      'after',
      `
Examples:
  $ sotail completion bash > ~/.local/share/bash-completion/completions/sotail
  $ sotail completion zsh > "\${fpath[1]}/_sotail"
  $ sotail completion fish > ~/.config/fish/completions/sotail.fish`,
    )
    .action((shell: Shell, _options: unknown, command: Command) => {
      const root = command.parent ?? command;
      context.stdout.write(GENERATORS[shell](describeCommand(root)));
    });
}

/**
 * `sotail __complete KIND` (hidden): the values a completion script cannot know by itself, one per
 * line. It never fails out loud: a TAB press must not print errors into the command line.
 */
export function completeValuesCommand(context: CliContext): Command {
  return new Command('__complete')
    .description('print values for shell completion, one per line (used by the completion scripts)')
    .addArgument(new Argument('<kind>', 'what to list').choices(DYNAMIC_KINDS))
    .addHelpText(
      'after',
      `
Examples:
  $ sotail __complete profiles`,
    )
    .action(async (kind: DynamicKind) => {
      const { completionValues } = await import('../actions/complete-values.js');
      const values = await completionValues(context, kind).catch(() => []);
      context.stdout.write(values.map((value) => `${value}\n`).join(''));
    });
}
