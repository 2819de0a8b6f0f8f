import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { type CliResult, runCli } from '../helpers/cli.js';
import { fakeContext } from '../helpers/in-process.js';

function commandPaths(command: Command, prefix: string[] = []): string[][] {
  return command.commands
    .filter((child) => child.name() !== 'help')
    .flatMap((child) => [[...prefix, child.name()], ...commandPaths(child, [...prefix, child.name()])]);
}

const { context } = fakeContext();
const program = buildProgram(context);
const paths = [[], ...commandPaths(program)];

/** `sotail <path> --help` as a process, run once per command: both describe blocks read it. */
const helps = new Map<string, Promise<CliResult>>();
function help(path: readonly string[]): Promise<CliResult> {
  const key = path.join(' ');
  let result = helps.get(key);
  if (result === undefined) {
    result = runCli([...path, '--help'], { env: { COLUMNS: '100' } });
    helps.set(key, result);
  }
  return result;
}

describe('--help', () => {
  it('is pinned for every command (update with `npx vitest run test/cli/help.test.ts -u`)', async () => {
    const sections: string[] = [];
    // A few at a time: one process per command, in order, would take most of the test's time.
    for (let start = 0; start < paths.length; start += 4) {
      const batch = paths.slice(start, start + 4);
      const results = await Promise.all(batch.map(help));
      for (const [index, result] of results.entries()) {
        const path = batch[index] ?? [];
        expect(result.code, `sotail ${path.join(' ')} --help`).toBe(0);
        expect(result.stderr).toBe('');
        sections.push(`$ sotail ${[...path, '--help'].join(' ')}\n${result.stdout}`);
      }
    }
    await expect(sections.join('\n')).toMatchFileSnapshot('__snapshots__/help.txt');
  }, 60_000);

  it.each(paths.filter((path) => path.length > 0).map((path) => [path.join(' ')]))(
    'sotail %s --help shows examples',
    async (name) => {
      const result = await help(name.split(' '));
      expect(result.stdout).toMatch(/\nExamples:\n {2}\$ (npm start|sotail|id=\$\(sotail) /);
    },
  );
});

describe("sotail's own options in a command's --help", () => {
  // In process: the help text is commander's, from the same program the bin runs.
  it.each(paths.filter((path) => path.length > 0).map((path) => [path.join(' ')]))(
    'sotail %s --help lists them, --no-color included',
    (name) => {
      let command = program;
      for (const word of name.split(' ')) command = command.commands.find((child) => child.name() === word)!;
      const help = command.helpInformation();
      expect(help).toMatch(/\nGlobal Options:\n/);
      for (const flag of [
        '--profile <name>',
        '--api-url <url>',
        '--color <when>',
        '--no-color',
        '--debug',
        '-v, --verbose',
        '--insecure',
      ])
        expect(help).toContain(flag);
    },
  );
});
