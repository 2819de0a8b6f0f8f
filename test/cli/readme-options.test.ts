/**
 * README "Conventions every command follows" names the commands that take `-q`, `--timeout` and
 * `-o`: each list is exactly the commands whose real options include it, so the README can neither
 * promise an option a command lacks nor forget one it has.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { fakeContext } from '../helpers/in-process.js';

const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

/** Every command a user runs (`sessions create`, `tail`), with its real options. */
function leafCommands(): Map<string, Command> {
  const found = new Map<string, Command>();
  const walk = (command: Command, path: string[]): void => {
    const children = command.commands.filter(
      (child) => child.name() !== 'help' && !(child as unknown as { _hidden?: boolean })._hidden,
    );
    if (children.length === 0 && path.length > 0) found.set(path.join(' '), command);
    for (const child of children) walk(child, [...path, child.name()]);
  };
  walk(buildProgram(fakeContext().context), []);
  return found;
}

/**
 * The commands the README's bullet for `flag` names: `tail`, `profile list|use|remove` (three),
 * `sessions …` (every subcommand).
 */
function namedInReadme(flag: string, commands: readonly string[]): string[] {
  const bullet = README.split('\n- ').find((item) => item.startsWith(`\`${flag}`));
  if (bullet === undefined) throw new Error(`README names no convention for ${flag}`);
  const list = /\(([^)]*)\)/.exec(bullet)?.[1] ?? '';
  const named: string[] = [];
  for (const [, text] of list.matchAll(/`([^`]+)`/g)) {
    const [head, rest] = text!.split(' ');
    if (rest === '…') named.push(...commands.filter((name) => name.startsWith(`${head} `)));
    else if (rest === undefined) named.push(head!);
    else named.push(...rest.split('|').map((sub) => `${head} ${sub}`));
  }
  return named.sort();
}

describe('the options README "Conventions" promises', () => {
  const commands = leafCommands();
  const names = [...commands.keys()];
  it.each([
    ['-q, --quiet', '-q'],
    ['--timeout DURATION', '--timeout'],
    ['-o, --output', '-o'],
  ])('`%s`: the commands named are exactly those that take it', (bullet, flag) => {
    const taking = names
      .filter((name) =>
        commands.get(name)!.options.some((option) => option.short === flag || option.long === flag),
      )
      .sort();
    expect(namedInReadme(bullet, names)).toEqual(taking);
  });

  it('names only commands that exist', () => {
    for (const bullet of ['-q, --quiet', '--timeout DURATION', '-o, --output']) {
      for (const name of namedInReadme(bullet, names)) expect(names).toContain(name);
    }
  });
});
