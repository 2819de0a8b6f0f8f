/**
 * Names the service sends (org, project) and queries the user typed reach the terminal escaped,
 * like log text: an org named with escape sequences or a bidi override cannot recolour, retitle or
 * reorder what sotail prints. The mock's `POST /_mock/tokens` issues a token for such an org.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockServer, startMockServer } from '../../src/mock/index.js';
import { type CliResult, runCli, tempConfigDir } from '../helpers/cli.js';

const TOKEN = 'so_test_hostile_org_token';
const ORG = 'org\u001b]0;pwned\u0007\u001b[2J\u202egnp.exe\u200b';
const PROJECT = 'prj\u009b31m\u2066x\u2069';
/** Raw controls, bidi controls and invisible characters: none may be printed as they are. */
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;

let mock: MockServer;
let configDir: string;

beforeAll(async () => {
  mock = await startMockServer({ port: 0, ratePerSec: 0, history: 0 });
  const added = await fetch(`${mock.url}/_mock/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: TOKEN, orgId: ORG, projectId: PROJECT }),
  });
  expect(added.status).toBe(200);
  configDir = tempConfigDir();
});

afterAll(async () => {
  await mock?.close();
});

function sotail(args: string[], stdin?: string): Promise<CliResult> {
  return runCli(args, { env: { SOTAIL_CONFIG_DIR: configDir }, ...(stdin !== undefined ? { stdin } : {}) });
}

describe('server-sent names on the terminal', () => {
  it('login, whoami, profile show and profile list print them escaped', async () => {
    const login = await sotail(['login', '--api-url', mock.url, '--token-stdin'], TOKEN);
    expect(login.code).toBe(0);
    expect(login.stderr).not.toMatch(RAW);
    expect(login.stderr).toContain('org org\\x1b]0;pwned\\x07\\x1b[2J\\u202egnp.exe\\u200b');

    for (const args of [
      ['whoami', '-o', 'table'],
      ['profile', 'show', '-o', 'table'],
      ['profile', 'list', '-o', 'table'],
    ]) {
      const result = await sotail(args);
      expect(result.code, args.join(' ')).toBe(0);
      expect(result.stdout, args.join(' ')).not.toMatch(RAW);
      expect(result.stderr, args.join(' ')).toBe('');
    }
    const whoami = await sotail(['whoami', '-o', 'table']);
    expect(whoami.stdout).toContain('prj\\x9b31m\\u2066x\\u2069');
  });

  it('a pipe still gets the real characters, as JSON', async () => {
    const result = await sotail(['whoami']);
    expect(JSON.parse(result.stdout)).toMatchObject({ org_id: ORG, project_id: PROJECT });
  });
});

describe("the user's own query, echoed in an error", () => {
  const env = { SOTAIL_API_URL: 'http://127.0.0.1:9', SOTAIL_TOKEN: 'so_test_sotail_dev' };

  it('is escaped, with the caret still under the mistake', async () => {
    const result = await runCli(['query', '\u001b[31mx == 1'], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(RAW);
    expect(result.stderr).toContain("unknown field '\\x1b[31mx'");
    const lines = result.stderr.split('\n');
    const shown = lines.findIndex((line) => line === '  \\x1b[31mx == 1');
    expect(shown).toBeGreaterThan(0);
    expect(lines[shown + 1]).toBe('  ^');
  });

  it('a bidi override before the mistake is shown escaped and the caret moves with it', async () => {
    const result = await runCli(['query', 'source == "\u202e" AND nosuch == 1'], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(RAW);
    const lines = result.stderr.split('\n');
    const shown = lines.findIndex((line) => line.startsWith('  source == "\\u202e"'));
    expect(shown).toBeGreaterThan(0);
    expect(lines[shown + 1]?.indexOf('^')).toBe(lines[shown]?.indexOf('nosuch'));
  });
});
