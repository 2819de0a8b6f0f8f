import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, runCli, spawnCli } from '../helpers/cli.js';
import { type MockProcess, startMockProcess } from '../helpers/mock-process.js';

let mock: MockProcess;
beforeAll(async () => {
  mock = await startMockProcess([]);
});
afterAll(async () => {
  await mock.stop();
});

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'sotail-ingest-'));
}

async function stored(query: string): Promise<Record<string, unknown>[]> {
  const result = await runCli(['query', query, '--all', '--since', '30d'], { env: mock.env });
  expect(result.code, result.stderr).toBe(0);
  return result.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('sotail ingest: hostile and unusual input', () => {
  it('a line nested 6,000 deep is invalid with its number and path; the other line is stored; no crash', async () => {
    const dir = tempDir();
    const file = join(dir, 'deep.log');
    const deep = `${'{"a":'.repeat(6_000)}1${'}'.repeat(6_000)}`;
    writeFileSync(file, `{"message":"deep-neighbour"}\n{"message":"deep-one","meta":${deep}}\n`);
    const deadLetter = join(dir, 'dead.ndjson');
    const result = await runCli(['ingest', '--file', file, '--dead-letter', deadLetter], { env: mock.env });
    expect(result.code, result.stderr).toBe(65);
    expect(result.stderr).toContain('ingest: 1 stored, 1 invalid, 0 dead-lettered — 2 lines read');
    expect(result.stderr).toMatch(/line 2: "meta" is nested deeper than 32 levels \(at meta\.a\.a/);
    expect(result.stderr).not.toMatch(/RangeError|unexpected error/);
    expect(existsSync(deadLetter)).toBe(false);
    expect(await stored('message == "deep-neighbour"')).toHaveLength(1);
  });

  it('rejects a line of invalid UTF-8 with its number (never stored with U+FFFD); a leading BOM is dropped', async () => {
    const input = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('{"message":"utf8-bom-first"}\n'),
      Buffer.from('utf8-broken '),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('\nutf8-fine café\n'),
    ]);
    const result = await runCli(['ingest'], { env: mock.env, stdin: input });
    expect(result.code, result.stderr).toBe(65);
    expect(result.stderr).toContain('ingest: 2 stored, 1 invalid, 0 dead-lettered — 3 lines read');
    expect(result.stderr).toContain('line 2: not valid UTF-8 (byte 13 of the line)');
    const events = await stored('message STARTSWITH "utf8-"');
    expect(events.map((event) => event.message).sort()).toEqual(['utf8-bom-first', 'utf8-fine café']);
  });

  it('plain text after a timestamp: the level word is found and the time becomes the event time', async () => {
    const result = await runCli(['ingest', '--format', 'text'], {
      env: mock.env,
      stdin: '2026-11-20T01:02:03.456Z ERROR ts-habit db down\n',
    });
    expect(result.code, result.stderr).toBe(0);
    const [event] = await stored('message == "ts-habit db down"');
    expect(event).toMatchObject({ severity: 'error', ts: '2026-11-20T01:02:03.456Z' });
  });

  it.each([[''], ['   ']])(
    'an empty message argument (%j) is a usage error; stdin is not read',
    async (arg) => {
      // stdin stays open: reading it would hang, which is the bug.
      const live = spawnCli(['ingest', arg], { env: mock.env, openStdin: true });
      const result = await collect(live, 10_000);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('the message is empty');
    },
  );

  it('--timeout stops a bulk ingest that waits on open input: what was read is stored, the summary printed, exit 124', async () => {
    const dir = tempDir();
    const args = [
      'ingest',
      '--source',
      'timeout-test',
      '--timeout',
      // Long enough for a loaded machine to start the CLI and store the line before it fires.
      '5s',
      '--dead-letter',
      join(dir, 'dl.ndjson'),
    ];
    const child = spawnCli(args, { env: mock.env, openStdin: true });
    child.stdin.write('before the timeout\n');
    // stdin stays open, as with `tail -f app.log | sotail ingest`: only --timeout ends the run.
    const result = await collect(child, 15_000, args);
    child.stdin.destroy();
    expect(result.code, result.stderr).toBe(124);
    expect(result.stderr).toMatch(/ingest: 1 stored/);
    expect(result.stderr).toMatch(/timed out after 5s/);
    expect((await stored('source == "timeout-test"')).map((event) => event.message)).toEqual([
      'before the timeout',
    ]);
  });

  it('--meta-json nested past the limit is a usage error, before anything is sent', async () => {
    const deep = `${'{"a":'.repeat(40)}1${'}'.repeat(40)}`;
    const result = await runCli(['ingest', 'meta-json-too-deep', '--meta-json', deep], { env: mock.env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--meta-json is nested deeper than 32 levels (at a.a.a');
    expect(await stored('message == "meta-json-too-deep"')).toHaveLength(0);
  });

  it('--file that is a directory or does not exist: plain words, exit 2', async () => {
    const dir = tempDir();
    const asDir = await runCli(['ingest', '--file', dir], { env: mock.env });
    expect(asDir.code).toBe(2);
    expect(asDir.stderr).toContain(`cannot read ${dir}: it is a directory, not a file`);
    const missing = await runCli(['ingest', '--file', join(dir, 'nope.log')], { env: mock.env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`cannot read ${join(dir, 'nope.log')}: no such file`);
    for (const output of [asDir.stderr, missing.stderr])
      expect(output).not.toMatch(/EISDIR|ENOENT|unexpected/);
  });

  it('an unwritable dead-letter file is refused before anything is sent', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'taken.ndjson'));
    for (const [path, why] of [
      [
        join(dir, 'no', 'such', 'dir', 'x.ndjson'),
        `the directory ${join(dir, 'no', 'such', 'dir')} does not exist`,
      ],
      [join(dir, 'taken.ndjson'), 'it is a directory'],
    ] as const) {
      const result = await runCli(['ingest', '--dead-letter', path], {
        env: mock.env,
        stdin: '{"message":"deadletter-preflight"}\n',
      });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`cannot write the dead-letter file ${path}: ${why}`);
      expect(result.stderr).not.toContain('ingest:');
    }
    expect(await stored('message == "deadletter-preflight"')).toHaveLength(0);
  });

  it('-q: no list, so the error names the first invalid line itself and points to running without -q', async () => {
    const result = await runCli(['ingest', '-q', '--format', 'ndjson'], {
      env: mock.env,
      stdin: '{"message":"quiet-ok"}\n\n{broken\n',
    });
    expect(result.code).toBe(65);
    expect(result.stderr).toContain('1 input line was invalid and not sent (first: line 3: not valid JSON');
    expect(result.stderr).not.toContain('listed above');
    expect(result.stderr).not.toContain('ingest:');
  });
});
