/** `sotail completion <shell>`: prints a completion script generated from the command tree. */
import { Argument, Command } from 'commander';
import { bashScript } from '../completion/bash.js';
import { fishScript } from '../completion/fish.js';
import { describeCommand, SHELLS, type Shell } from '../completion/spec.js';
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
