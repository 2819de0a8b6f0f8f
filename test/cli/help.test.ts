import { PassThrough } from 'node:stream';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import type { CliContext } from '../../src/cli/context.js';
import { buildProgram } from '../../src/cli/program.js';
import { runCli } from '../helpers/cli.js';

function commandPaths(command: Command, prefix: string[] = []): string[][] {
  return command.commands
    .filter((child) => child.name() !== 'help')
    .flatMap((child) => [[...prefix, child.name()], ...commandPaths(child, [...prefix, child.name()])]);
}

const context: CliContext = {
  stdout: new PassThrough(),
  stderr: new PassThrough(),
  stdin: new PassThrough(),
  env: {},
  signal: new AbortController().signal,
  version: '0.0.0',
};
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

  it.each(paths.filter((path) => path.length > 0).map((path) => [path.join(' ')]))(
    'sotail %s --help shows examples',
    async (name) => {
      const result = await runCli([...name.split(' '), '--help'], { env: { COLUMNS: '100' } });
      expect(result.stdout).toMatch(/\nExamples:\n {2}\$ (npm start|sotail|id=\$\(sotail) /);
    },
  );
});
