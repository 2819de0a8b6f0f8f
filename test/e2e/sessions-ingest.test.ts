import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNdjson, runCli } from '../helpers/cli.js';
import { type MockProcess, READONLY_TOKEN, startMockProcess } from '../helpers/mock-process.js';

let mock: MockProcess;
beforeAll(async () => {
  mock = await startMockProcess(['--history', '0', '--rate', '0']);
});
afterAll(async () => {
  await mock.stop();
});

const cli = (args: string[], options: { env?: Record<string, string>; stdin?: string } = {}) =>
  runCli(args, {
    env: { ...mock.env, ...options.env },
    ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
  });

async function messagesMatching(q: string): Promise<string[]> {
  const result = await cli(['query', q, '--all', '--since', '1d']);
  expect(result.code).toBe(0);
  return parseNdjson(result.stdout).map((e) => String(e.message));
}

describe('sotail sessions', () => {
  it('creates, lists, shows and closes a session (JSON to a pipe)', async () => {
    const created = await cli(['sessions', 'create', '--filter', 'level=error', '--service', 'payments']);
    expect(created.code).toBe(0);
    const session = JSON.parse(created.stdout) as {
      id: string;
      filter: string;
      service: string;
      active: boolean;
    };
    expect(session).toMatchObject({ filter: 'level=error', service: 'payments', active: true });

    const listed = await cli(['sessions', 'list']);
    expect(parseNdjson(listed.stdout).map((s) => s.id)).toContain(session.id);

    const shown = await cli(['sessions', 'show', session.id]);
    expect(JSON.parse(shown.stdout)).toMatchObject({ id: session.id });

    const closed = await cli(['sessions', 'close', session.id]);
    expect(JSON.parse(closed.stdout)).toMatchObject({ id: session.id, active: false });

    const missing = await cli(['sessions', 'show', 'ses_0000000000000000']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no tail session ses_0000000000000000/);
    // Not the form of a session id: a usage error before any request.
    const malformed = await cli(['sessions', 'show', 'no-such-session']);
    expect(malformed.code).toBe(2);
  });

  it('needs a service, and rejects a bad filter locally, with exit 2', async () => {
    const noService = await cli(['sessions', 'create', '--filter', 'level=error']);
    expect(noService.code).toBe(2);
    expect(noService.stderr).toContain("required option '--service <name>' not specified");
    const result = await cli(['sessions', 'create', '--filter', 'level >>= error', '--service', 'api']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('^');
  });
});

describe('sotail ingest', () => {
  it('stores one entry from arguments, with metadata', async () => {
    const result = await cli([
      'ingest',
      'disk almost full',
      '--level',
      'warning',
      '--source',
      'api',
      '--meta',
      'host=web-1',
      '--meta-json',
      '{"pct":93}',
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      level: 'warn',
      message: 'disk almost full',
      meta: { host: 'web-1', pct: 93 },
    });
    const stored = await cli(['query', 'message == "disk almost full"', '--since', '1h']);
    expect(parseNdjson(stored.stdout)).toMatchObject([
      { severity: 'warn', source: 'api', payload: { host: 'web-1', pct: 93 } },
    ]);
  });

  it('bulk: every valid line stored exactly once, invalid lines reported by number, exit 65', async () => {
    const lines = [
      ...Array.from({ length: 120 }, (_, i) =>
        JSON.stringify({ level: 'info', message: `bulk-a ${i}`, source: 'bulk' }),
      ),
      '{"level":"info"',
      'ERROR bulk-a text line',
      '{"level":"loud","message":"bulk-a bad level"}',
    ];
    const result = await cli(['ingest', '--concurrency', '8'], { stdin: `${lines.join('\n')}\n` });
    expect(result.code).toBe(65);
    expect(result.stderr).toContain('121 stored');
    expect(result.stderr).toContain('2 invalid');
    expect(result.stderr).toMatch(/line 121: not valid JSON/);
    expect(result.stderr).toMatch(/line 123: unknown level "loud"/);
    const messages = await messagesMatching('message STARTSWITH "bulk-a"');
    expect(messages).toHaveLength(121);
    expect(new Set(messages).size).toBe(121);
  });

  it('a token without logs:write: exit 3, every entry dead-lettered, none lost', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sotail-dl-'));
    const deadLetter = join(dir, 'dead.ndjson');
    const result = await cli(['ingest', '--dead-letter', deadLetter], {
      env: { SOTAIL_TOKEN: READONLY_TOKEN },
      stdin: 'one\ntwo\nthree\n',
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/logs:write/);
    const dead = parseNdjson(readFileSync(deadLetter, 'utf8'));
    expect(dead.map((d) => d.message).sort()).toEqual(['one', 'three', 'two']);
    expect(dead.every((d) => typeof d._idempotency_key === 'string')).toBe(true);

    // The dead-letter file is re-ingestable as is.
    const retry = await cli(['ingest', '--file', deadLetter]);
    expect(retry.code).toBe(0);
    expect(retry.stderr).toContain('3 stored');
  });

  it('reads --file and refuses a missing file before sending anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sotail-in-'));
    const file = join(dir, 'in.log');
    writeFileSync(file, 'warn bulk-file one\nbulk-file two\n');
    const result = await cli(['ingest', '--file', file, '--source', 'files']);
    expect(result.code).toBe(0);
    expect(await messagesMatching('source == files')).toEqual(
      expect.arrayContaining(['bulk-file one', 'bulk-file two']),
    );
    const missing = await cli(['ingest', '--file', join(dir, 'nope.log')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*nope\.log: no such file/);
  });
});
