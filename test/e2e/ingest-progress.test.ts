import { afterEach, describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/in-process.js';
import { type MockProcess, startMockProcess } from '../helpers/mock-process.js';

let mock: MockProcess | undefined;
afterEach(async () => {
  await mock?.stop();
  mock = undefined;
});

describe('sotail ingest progress on a terminal', () => {
  it('draws progress as one rewritten line, prints notices above it, and clears it before the summary', async () => {
    mock = await startMockProcess([]);
    const live = runInProcess(['--verbose', 'ingest'], {
      env: mock.env,
      stderr: { isTTY: true },
      stdin: { isTTY: false },
    });
    live.stdin.write('{"message":"progress one"}\n');
    await expect
      .poll(() => live.stderr(), { timeout: 10_000, interval: 20 })
      .toContain('ingesting… 1 stored');

    await fetch(`${mock.url}/_mock/faults`, {
      method: 'POST',
      body: JSON.stringify({ faults: ['503@ingest:count=1,retry-after=0'] }),
    });
    live.stdin.write('{"message":"progress two"}\n');
    await expect.poll(() => live.stderr(), { timeout: 10_000, interval: 20 }).toMatch(/retrying/);
    live.stdin.end();
    expect(await live.exited).toBe(0);

    const stderr = live.stderr();
    // The notice starts on a cleared line and the progress line is drawn again under it.
    expect(stderr).toMatch(
      /\r\u001b\[Ksotail: 503 unavailable; retrying in [\d.]+s \(attempt 2 of \d+\)\ningesting… 1 stored/,
    );
    expect(stderr).not.toMatch(/stored · [^\r\n]*sotail: 503/);
    expect(stderr).toMatch(/\r\u001b\[Kingest: 2 stored, 0 invalid, 0 dead-lettered — 2 lines read/);
  });
});
