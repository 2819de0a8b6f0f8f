import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IngestEntry } from '../../src/api/types.js';
import {
  ApiError,
  exitCodeFor,
  type InputDataError,
  InterruptedError,
  NetworkError,
} from '../../src/errors.js';
import { createDeadLetterFile } from '../../src/ingest/dead-letter.js';
import { IDEMPOTENCY_FIELD } from '../../src/ingest/parse-entry.js';
import { runIngest } from '../../src/ingest/run-ingest.js';
import { formatIngestSummary, ingestOutcomeError } from '../../src/ingest/summary.js';

async function* linesOf(lines: (string | Uint8Array)[]): AsyncIterable<string | Uint8Array> {
  for (const line of lines) yield line;
}

type Behaviour = (entry: IngestEntry, key: string) => Promise<{ replayed: boolean }>;

function fakeClient(behaviour: Behaviour) {
  const calls: { entry: IngestEntry; key: string }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  return {
    calls,
    get maxInFlight() {
      return maxInFlight;
    },
    client: {
      async ingest(entry: IngestEntry, options: { idempotencyKey: string; signal?: AbortSignal }) {
        calls.push({ entry, key: options.idempotencyKey });
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        try {
          const { replayed } = await behaviour(entry, options.idempotencyKey);
          return {
            response: { id: 'x', level: entry.level, message: entry.message, meta: {}, created_at: '' },
            replayed,
          };
        } finally {
          inFlight -= 1;
        }
      },
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));
const quota = () =>
  new ApiError({
    status: 429,
    code: 'quota_exceeded',
    message: 'tier quota exceeded for storage_bytes',
    url: 'http://x/logs',
    extra: { quotas: [{ metric: 'storage_bytes', used: 10, limit: 10, cumulative: true }] },
  });

function deadLetterPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'sotail-dl-')), 'dead.ndjson');
}

function readDeadLetters(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const options = { format: 'auto' as const, defaultLevel: 'info' as const };

/** A run over `lines` with a fresh dead-letter file and a signal nobody aborts. */
function ingestWith(
  client: ReturnType<typeof fakeClient>['client'],
  lines: (string | Uint8Array)[],
  concurrency: number,
) {
  return runIngest({
    client,
    lines: linesOf(lines),
    lineOptions: options,
    concurrency,
    deadLetter: createDeadLetterFile(deadLetterPath()),
    signal: new AbortController().signal,
  });
}

describe('runIngest', () => {
  it('sends every valid line once, bounded by the concurrency, with one key per entry', async () => {
    const fake = fakeClient(async () => {
      await tick();
      return { replayed: false };
    });
    const lines = Array.from({ length: 50 }, (_, i) => `message ${i}`);
    const summary = await runIngest({
      client: fake.client,
      lines: linesOf(lines),
      lineOptions: options,
      concurrency: 4,
      deadLetter: createDeadLetterFile(deadLetterPath()),
      signal: new AbortController().signal,
    });
    expect(summary).toMatchObject({ read: 50, stored: 50, invalid: 0, deadLettered: 0 });
    expect(fake.maxInFlight).toBe(4);
    expect(new Set(fake.calls.map((c) => c.key)).size).toBe(50);
    expect(fake.calls.map((c) => c.entry.message).sort()).toEqual([...lines].sort());
    expect(ingestOutcomeError(summary)).toBeUndefined();
  });

  it('reports invalid lines with their numbers (local and service-side) and keeps going', async () => {
    const fake = fakeClient(async (entry) => {
      if (entry.message === 'server says no') {
        throw new ApiError({
          status: 400,
          code: 'bad_request',
          message: 'bad field',
          url: 'u',
          extra: { field: 'ts' },
        });
      }
      return { replayed: false };
    });
    const summary = await runIngest({
      client: fake.client,
      lines: linesOf(['ok 1', '{broken', '', 'server says no', 'ok 2']),
      lineOptions: options,
      concurrency: 2,
      deadLetter: createDeadLetterFile(deadLetterPath()),
      signal: new AbortController().signal,
    });
    expect(summary).toMatchObject({ stored: 2, invalid: 2, deadLettered: 0 });
    expect(summary.invalidLines.map((l) => l.line).sort()).toEqual([2, 4]);
    expect(exitCodeOf(ingestOutcomeError(summary))).toBe(65);
  });

  it('dead-letters entries that still fail, with their keys, re-ingestable without duplicates', async () => {
    const path = deadLetterPath();
    const fake = fakeClient(async (entry) => {
      if (entry.message.includes('unlucky')) throw new NetworkError('connection reset', 'http://x');
      return { replayed: false };
    });
    const summary = await runIngest({
      client: fake.client,
      lines: linesOf(['fine', 'unlucky one', '{"message":"unlucky two","meta":{"a":1}}']),
      lineOptions: options,
      concurrency: 3,
      deadLetter: createDeadLetterFile(path),
      signal: new AbortController().signal,
    });
    expect(summary).toMatchObject({ stored: 1, deadLettered: 2 });
    const dead = readDeadLetters(path);
    const sentKeys = new Map(fake.calls.map((c) => [c.entry.message, c.key]));
    expect(dead.map((d) => d.message).sort()).toEqual(['unlucky one', 'unlucky two']);
    for (const entry of dead) expect(entry[IDEMPOTENCY_FIELD]).toBe(sentKeys.get(entry.message as string));
    expect(exitCodeOf(ingestOutcomeError(summary))).toBe(5);

    // Re-ingesting the file reuses the keys.
    const retry = fakeClient(async () => ({ replayed: true }));
    const again = await runIngest({
      client: retry.client,
      lines: linesOf(readFileSync(path, 'utf8').trim().split('\n')),
      lineOptions: options,
      concurrency: 2,
      deadLetter: createDeadLetterFile(deadLetterPath()),
      signal: new AbortController().signal,
    });
    expect(again).toMatchObject({ read: 2, stored: 0, replayed: 2 });
    expect(retry.calls.map((c) => c.key).sort()).toEqual(dead.map((d) => d[IDEMPOTENCY_FIELD]).sort());
    expect(retry.calls.find((c) => c.entry.message === 'unlucky two')?.entry.meta).toEqual({ a: 1 });
  });

  it('stops sending at a cumulative quota and dead-letters everything after', async () => {
    const path = deadLetterPath();
    const fake = fakeClient(async (entry) => {
      if (entry.message === 'line 3') throw quota();
      return { replayed: false };
    });
    const summary = await runIngest({
      client: fake.client,
      lines: linesOf(Array.from({ length: 10 }, (_, i) => `line ${i + 1}`)),
      lineOptions: options,
      concurrency: 1,
      deadLetter: createDeadLetterFile(path),
      signal: new AbortController().signal,
    });
    expect(summary).toMatchObject({ stored: 2, deadLettered: 8 });
    expect(fake.calls).toHaveLength(3);
    expect(readDeadLetters(path)).toHaveLength(8);
    expect(exitCodeOf(ingestOutcomeError(summary))).toBe(4);
  });

  it('on interrupt, in-flight entries finish or are dead-lettered and reading stops', async () => {
    const path = deadLetterPath();
    const controller = new AbortController();
    const fake = fakeClient(async (entry) => {
      if (entry.message === 'line 2') {
        controller.abort(new InterruptedError('interrupted (SIGINT)'));
        throw new Error('aborted');
      }
      return { replayed: false };
    });
    const summary = await runIngest({
      client: fake.client,
      lines: linesOf(Array.from({ length: 100 }, (_, i) => `line ${i + 1}`)),
      lineOptions: options,
      concurrency: 1,
      deadLetter: createDeadLetterFile(path),
      signal: controller.signal,
    });
    expect(summary.stored).toBe(1);
    expect(summary.deadLettered).toBe(2);
    expect(summary.lastLine).toBe(3);
    expect(summary.stoppedBy).toBeInstanceOf(InterruptedError);
    expect(exitCodeOf(ingestOutcomeError(summary))).toBe(130);
  });

  it('accounts for every line read: the buckets add up, blank lines included', async () => {
    const fake = fakeClient(async (entry) => {
      if (entry.message === 'seen before') return { replayed: true };
      if (entry.message === 'unlucky') throw new NetworkError('connection reset', 'http://x');
      return { replayed: false };
    });
    const summary = await ingestWith(
      fake.client,
      ['one', '', '   ', 'seen before', '{broken', 'unlucky', 'two'],
      2,
    );
    expect(summary).toMatchObject({ read: 7, stored: 2, replayed: 1, invalid: 1, deadLettered: 1, blank: 2 });
    const { read, stored, replayed, invalid, deadLettered, blank } = summary;
    expect(stored + replayed + invalid + deadLettered + blank).toBe(read);
    expect(formatIngestSummary(summary, 'dead.ndjson')[0]).toMatch(
      /^ingest: 2 stored, 1 already stored earlier \(not stored twice\), 1 invalid, 1 dead-lettered, 2 blank — 7 lines read/,
    );
  });

  it('a re-ingest the service had fully stored reads as 0 stored, N already stored', async () => {
    const fake = fakeClient(async () => ({ replayed: true }));
    const summary = await ingestWith(
      fake.client,
      Array.from({ length: 51 }, (_, i) => `again ${i}`),
      4,
    );
    expect(formatIngestSummary(summary, 'dead.ndjson')[0]).toMatch(
      /^ingest: 0 stored, 51 already stored earlier \(not stored twice\), 0 invalid, 0 dead-lettered — 51 lines read/,
    );
  });

  it('rejects invalid UTF-8 with the line number instead of replacing it, and sends the rest', async () => {
    const fake = fakeClient(async () => ({ replayed: false }));
    const bytes = [
      Buffer.from('caf\xc3\xa9 ok', 'latin1'),
      Buffer.from([0x62, 0x61, 0x64, 0xff, 0x21]),
      Buffer.from('fine'),
    ];
    const summary = await ingestWith(fake.client, bytes, 1);
    expect(summary).toMatchObject({ read: 3, stored: 2, invalid: 1 });
    expect(summary.invalidLines).toEqual([{ line: 2, reason: 'not valid UTF-8 (byte 4 of the line)' }]);
    expect(fake.calls.map((c) => c.entry.message)).toEqual(['café ok', 'fine']);
    expect(fake.calls.some((c) => c.entry.message.includes('\uFFFD'))).toBe(false);
  });

  it('under --quiet, the error itself names the first invalid line (no list was shown)', async () => {
    const fake = fakeClient(async () => ({ replayed: false }));
    const summary = await ingestWith(fake.client, ['ok', '{broken'], 1);
    const listed = ingestOutcomeError(summary, true) as InputDataError;
    expect(listed.hint).toContain('listed above');
    const quiet = ingestOutcomeError(summary, false) as InputDataError;
    expect(quiet.message).toMatch(/^1 input line was invalid and not sent \(first: line 2: not valid JSON/);
    expect(quiet.hint).not.toContain('listed above');
    expect(exitCodeOf(quiet)).toBe(65);
  });
});

function exitCodeOf(error: unknown): number {
  return exitCodeFor(error);
}
