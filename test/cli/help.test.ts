import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { runCli } from '../helpers/cli.js';
import { fakeContext } from '../helpers/in-process.js';

function commandPaths(command: Command, prefix: string[] = []): string[][] {
  return command.commands
    .filter((child) => child.name() !== 'help')
    .flatMap((child) => [[...prefix, child.name()], ...commandPaths(child, [...prefix, child.name()])]);
}

const { context } = fakeContext();
const program = buildProgram(context);
const paths = [[], ...commandPaths(program)];

describe('--help', () => {
  it('is pinned for every command (update with `npx vitest run test/cli/help.test.ts -u`)', async () => {
    const sections: string[] = [];
    for (const path of paths) {
      const result = await runCli([...path, '--help'], { env: { COLUMNS: '100' } });
      expect(result.code, `sotail ${path.join(' ')} --help`).toBe(0);
      expect(result.stderr).toBe('');
      sections.push(`$ sotail ${[...path, '--help'].join(' ')}\n${result.stdout}`);
    }
    await expect(sections.join('\n')).toMatchFileSnapshot('__snapshots__/help.txt');
  });

  it.each(program.commands.map((command) => [command.name()]))(
    'sotail %s --help shows examples',
    async (name) => {
      const result = await runCli([name, '--help'], { env: { COLUMNS: '100' } });
      expect(result.stdout).toMatch(/\nExamples:\n {2}\$ (npm start|sotail) /);
    },
  );
});
