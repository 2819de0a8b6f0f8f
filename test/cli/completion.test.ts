import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '../helpers/cli.js';

const FILES = {
  bash: 'completions/sotail.bash',
  zsh: 'completions/_sotail',
  fish: 'completions/sotail.fish',
} as const;

function has(shell: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0;
}
// CI installs every shell (.ci/run); elsewhere a missing shell only skips its own check.
const required = process.env.CI === 'true';

describe('shell completions', () => {
  it.each(Object.entries(FILES))(
    'the committed %s script is what the CLI generates (run `npm run completions`)',
    async (shell, file) => {
      const result = await runCli(['completion', shell]);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(readFileSync(join(REPO_ROOT, file), 'utf8'));
    },
  );

  function bashComplete(words: string[]): string[] {
    const script = `source ${FILES.bash}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _sotail; printf '%s\\n' "\${COMPREPLY[@]}"`;
    return execFileSync('bash', ['-c', script], { cwd: REPO_ROOT, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
  }

  it('bash completes subcommands, options, choices and nested commands', () => {
    expect(bashComplete(['sotail', 'qu'])).toEqual(['query']);
    expect(bashComplete(['sotail', 'query', '--output', ''])).toEqual([
      'pretty',
      'ndjson',
      'json',
      'table',
      'raw',
    ]);
    expect(bashComplete(['sotail', '--profile', 'prod', 'query', '--or'])).toEqual(['--order']);
    expect(bashComplete(['sotail', 'sessions', ''])).toEqual(
      expect.arrayContaining(['create', 'list', 'show', 'close']),
    );
    expect(bashComplete(['sotail', 'sessions', 'create', '--f'])).toEqual(['--filter', '--from-cursor']);
    expect(bashComplete(['sotail', 'ingest', '--format', ''])).toEqual(['auto', 'ndjson', 'text']);
    expect(bashComplete(['sotail', 'query', '--color', 'al'])).toEqual(['always']);
    expect(bashComplete(['sotail', 'completion', ''])).toEqual(
      expect.arrayContaining(['bash', 'zsh', 'fish']),
    );
  });

  it.skipIf(!required && !has('fish'))('fish completes subcommands and option values', () => {
    const run = (line: string): string[] =>
      execFileSync('fish', ['-c', `source ${FILES.fish}; complete -C '${line}'`], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      })
        .split('\n')
        .filter(Boolean)
        .map((row) => row.split('\t')[0] ?? '');
    expect(run('sotail qu')).toEqual(['query']);
    expect(run('sotail query --output ')).toEqual(['json', 'ndjson', 'pretty', 'raw', 'table']);
    expect(run('sotail sessions ')).toEqual(expect.arrayContaining(['create', 'list', 'show', 'close']));
  });

  it.skipIf(!required && !has('zsh'))('the zsh script is valid zsh', () => {
    const result = spawnSync('zsh', ['-n', FILES.zsh], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
