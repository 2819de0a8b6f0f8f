/**
 * The conventions every command shares (README "Conventions"): one error style with a hint, the
 * version however it is asked for, and an unquoted query explained.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '../helpers/cli.js';

const VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;

describe('the version', () => {
  it.each([['-V'], ['--version'], ['version'], ['-v']])('sotail %s prints it and exits 0', async (flag) => {
    const result = await runCli([flag]);
    expect(result).toMatchObject({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  it('-v with a command still means --verbose', async () => {
    const result = await runCli(['-v', 'completion', 'bash']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^# bash completion for sotail/);
  });

  it("sotail help COMMAND shows that command's help", async () => {
    const result = await runCli(['help', 'query']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: sotail query \[options\] \[query\]/);
  });

  it('sotail alone shows the help on stderr, exit 2 (a command is needed)', async () => {
    const result = await runCli([]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^Usage: sotail \[options\] \[command\]/);
  });
});

describe('one error style: "sotail: …" and a hint, exit 2', () => {
  it.each<[string[], string]>([
    [['versoin'], "sotail: unknown command 'versoin'\nhint: did you mean `sotail version`?\n"],
    [['query', '--bogus'], "sotail: unknown option '--bogus'\nhint: see `sotail query --help`\n"],
    [['query', '--limt', '5'], "sotail: unknown option '--limt'\nhint: did you mean --limit?\n"],
    [
      ['sessions', 'show'],
      "sotail: missing required argument 'id'\nhint: see `sotail sessions show --help`\n",
    ],
    [
      ['stats', '-o', 'yaml'],
      "sotail: option '-o, --output <format>' argument 'yaml' is invalid. Allowed choices are table, json, ndjson\nhint: see `sotail stats --help`\n",
    ],
  ])('sotail %j', async (args, stderr) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(stderr);
  });

  it('an unquoted query (split by the shell) gets a hint to quote it', async () => {
    // What the shell passes for: sotail query severity >= error   (">=" became a redirection)
    const result = await runCli(['query', 'severity', 'error']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^sotail: too many arguments for 'query'/);
    expect(result.stderr).toContain("hint: quote the whole query: sotail query 'severity >= error'");
  });
});
