import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OUTPUT_FORMATS } from '../../src/output/event-output.js';
import { BIN, cliEnv, REPO_ROOT, runCli } from '../helpers/cli.js';

/** A config directory holding two profiles, and a PATH on which `sotail` is the built bin. */
function machineWithProfiles(): NodeJS.ProcessEnv {
  const root = mkdtempSync(join(tmpdir(), 'sotail-complete-'));
  const configDir = join(root, 'config');
  mkdirSync(configDir, { mode: 0o700 });
  writeFileSync(
    join(configDir, 'config.json'),
    JSON.stringify({
      activeProfile: 'prod',
      profiles: { prod: { apiUrl: 'http://127.0.0.1:1' }, staging: { apiUrl: 'http://127.0.0.1:2' } },
    }),
    { mode: 0o600 },
  );
  const binDir = join(root, 'bin');
  mkdirSync(binDir);
  symlinkSync(BIN, join(binDir, 'sotail'));
  return cliEnv({ SOTAIL_CONFIG_DIR: configDir, PATH: `${binDir}:${process.env.PATH}` });
}

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

  function bashComplete(words: string[], env: NodeJS.ProcessEnv = process.env): string[] {
    const script = `source ${FILES.bash}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _sotail; printf '%s\\n' "\${COMPREPLY[@]}"`;
    return execFileSync('bash', ['-c', script], { cwd: REPO_ROOT, encoding: 'utf8', env })
      .split('\n')
      .filter(Boolean);
  }

  it('bash completes profile names, severities and --flag=value, and never types a lone "-"', () => {
    const env = machineWithProfiles();
    expect(bashComplete(['sotail', 'profile', 'use', ''], env)).toEqual(['prod', 'staging']);
    expect(bashComplete(['sotail', 'profile', 'show', 'st'], env)).toEqual(['staging']);
    expect(bashComplete(['sotail', '--profile', ''], env)).toEqual(['prod', 'staging']);
    expect(bashComplete(['sotail', 'query', '--profile', 'p'], env)).toEqual(['prod']);
    expect(bashComplete(['sotail', 'ingest', '--level', ''])).toEqual([
      'debug',
      'info',
      'notice',
      'warn',
      'error',
      'critical',
    ]);
    // COMP_WORDBREAKS splits `--output=ta` into `--output`, `=`, `ta`.
    expect(bashComplete(['sotail', 'query', '--output', '=', 'ta'])).toEqual(['table']);
    expect(bashComplete(['sotail', 'query', '--output', '='])).toEqual([...OUTPUT_FORMATS]);
    expect(bashComplete(['sotail', 'query', '--output=nd'])).toEqual(['--output=ndjson']);
    // No profiles, or free text: nothing offered (before, every option was, and bash typed their common "-").
    expect(bashComplete(['sotail', 'profile', 'use', ''])).toEqual([]);
    expect(bashComplete(['sotail', 'query', ''])).toEqual([]);
    expect(bashComplete(['sotail', 'profile', 'use', '-'])).toEqual(expect.arrayContaining(['--help']));
  });

  it('the hidden value lister prints profile names and stays silent on a machine without profiles', async () => {
    const env = machineWithProfiles();
    const listed = await runCli(['__complete', 'profiles'], {
      env: { SOTAIL_CONFIG_DIR: env.SOTAIL_CONFIG_DIR },
    });
    expect(listed).toMatchObject({ code: 0, stdout: 'prod\nstaging\n', stderr: '' });
    const empty = await runCli(['__complete', 'profiles']);
    expect(empty).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });

  it('bash completes subcommands, options, choices and nested commands', () => {
    expect(bashComplete(['sotail', 'qu'])).toEqual(['query']);
    // The one list of output modes (output/event-output.ts), for every command that prints events.
    for (const command of ['query', 'tail'])
      expect(bashComplete(['sotail', command, '--output', ''])).toEqual([...OUTPUT_FORMATS]);
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

  it("bash completes sotail's own options after a subcommand too (sotail tail --pro<TAB>)", () => {
    expect(bashComplete(['sotail', 'tail', '--pro'])).toEqual(['--profile']);
    expect(bashComplete(['sotail', 'sessions', 'resume', '--no-c'])).toEqual(['--no-color']);
    expect(bashComplete(['sotail', 'query', '--api'])).toEqual(['--api-url']);
    expect(bashComplete(['sotail', 'whoami', '--insec'])).toEqual(['--insecure']);
    // The version is the root's alone.
    expect(bashComplete(['sotail', 'tail', '--vers'])).toEqual([]);
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
    expect(run('sotail query --output ')).toEqual([...OUTPUT_FORMATS].sort());
    expect(run('sotail sessions ')).toEqual(expect.arrayContaining(['create', 'list', 'show', 'close']));
    expect(run('sotail ingest --level ')).toEqual(['critical', 'debug', 'error', 'info', 'notice', 'warn']);
  });

  it.skipIf(!required && !has('fish'))('fish completes profile names from the machine', () => {
    const env = machineWithProfiles();
    const run = (line: string): string[] =>
      execFileSync('fish', ['-c', `source ${FILES.fish}; complete -C '${line}'`], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        env,
      })
        .split('\n')
        .filter(Boolean)
        .map((row) => row.split('\t')[0] ?? '');
    expect(run('sotail profile use ')).toEqual(['prod', 'staging']);
    expect(run('sotail query --profile ')).toEqual(['prod', 'staging']);
  });

  it.skipIf(!required && !has('zsh'))('the zsh script is valid zsh', () => {
    const result = spawnSync('zsh', ['-n', FILES.zsh], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
