import { readFileSync } from 'node:fs';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { IngestEntry } from '../../src/api/types.js';
import {
  ApiError,
  DeadLetterWriteError,
  exitCodeFor,
  type InputDataError,
  InterruptedError,
  NetworkError,
} from '../../src/errors.js';
import {
  createDeadLetterFile,
  type DeadLetterOptions,
  type DeadLetterSink,
} from '../../src/ingest/dead-letter.js';
import { IDEMPOTENCY_FIELD } from '../../src/ingest/parse-entry.js';
import { type IngestRun, runIngest } from '../../src/ingest/run-ingest.js';
import { formatIngestSummary, ingestOutcomeError } from '../../src/ingest/summary.js';
import { deadLetterPath, diskFullAfter } from '../helpers/full-disk.js';

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

function readDeadLetters(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const options = { format: 'auto' as const, defaultLevel: 'info' as const };

/** A dead-letter file closed when the test ends: a FileHandle left to the GC is DEP0137. */
function deadLetterFile(path = deadLetterPath(), options?: DeadLetterOptions): DeadLetterSink {
  const sink = createDeadLetterFile(path, options);
  onTestFinished(() => sink.close());
  return sink;
}

/** A run over `lines` with a fresh dead-letter file and a signal nobody aborts. */
function ingestWith(
  client: ReturnType<typeof fakeClient>['client'],
  lines: (string | Uint8Array)[] | AsyncIterable<string | Uint8Array>,
  concurrency: number,
  overrides: Partial<IngestRun> = {},
) {
  return runIngest({
    client,
    lines: Array.isArray(lines) ? linesOf(lines) : lines,
    lineOptions: options,
    concurrency,
    deadLetter: deadLetterFile(),
    signal: new AbortController().signal,
    ...overrides,
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
      deadLetter: deadLetterFile(),
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
      deadLetter: deadLetterFile(),
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
      deadLetter: deadLetterFile(path),
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
      deadLetter: deadLetterFile(),
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
      deadLetter: deadLetterFile(path),
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
      deadLetter: deadLetterFile(path),
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
    expect(formatIngestSummary(summary, { deadLetterPath: 'dead.ndjson' })[0]).toMatch(
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
    expect(formatIngestSummary(summary, { deadLetterPath: 'dead.ndjson' })[0]).toMatch(
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

/**
 * A service that remembers keys as docs/api.md says (a key seen before stores nothing and is a
 * replay), and holds what it stored: duplicates show as repeated messages.
 */
function rememberingService() {
  const keys = new Set<string>();
  const stored: IngestEntry[] = [];
  const fake = fakeClient(async (entry, key) => {
    if (keys.has(key)) return { replayed: true };
    keys.add(key);
    stored.push(entry);
    return { replayed: false };
  });
  return { ...fake, stored, keys };
}

describe('runIngest: running the same input again', () => {
  const input = Array.from({ length: 200 }, (_, i) =>
    i % 3 === 0 ? 'the same line again and again' : `line ${i + 1}`,
  );

  it('after a crash part-way (kill -9), the re-run stores nothing twice: the keys come from the input', async () => {
    const service = rememberingService();
    // The first run got through the first 137 lines before it was killed.
    const crashed = await ingestWith(service.client, input.slice(0, 137), 16);
    expect(crashed.stored).toBe(137);
    const rerun = await ingestWith(service.client, input, 16);
    expect(rerun).toMatchObject({ read: 200, stored: 63, replayed: 137 });
    expect(service.stored).toHaveLength(200);
    // Equal lines are distinct events (their numbers differ): all of them are stored, once each.
    expect(service.stored.filter((e) => e.message === 'the same line again and again')).toHaveLength(67);
  });

  it('what the line becomes is part of its key: another --source or --level stores it anew, a reordered --meta does not', async () => {
    const service = rememberingService();
    const run = (lineOptions: IngestRun['lineOptions']) =>
      ingestWith(service.client, ['alpha', '{"message":"beta","level":"warn"}'], 2, { lineOptions });
    const first = await run({ ...options, defaults: { source: 'api' }, defaultMeta: { a: '1', b: '2' } });
    expect(first.stored).toBe(2);
    const reordered = await run({ ...options, defaults: { source: 'api' }, defaultMeta: { b: '2', a: '1' } });
    expect(reordered).toMatchObject({ stored: 0, replayed: 2 });
    const otherSource = await run({
      ...options,
      defaults: { source: 'web' },
      defaultMeta: { a: '1', b: '2' },
    });
    expect(otherSource).toMatchObject({ stored: 2, replayed: 0 });
    // --level changes the text line only; the JSON line carries its own level.
    const otherLevel = await run({
      ...options,
      defaultLevel: 'warn',
      defaults: { source: 'api' },
      defaultMeta: { a: '1', b: '2' },
    });
    expect(otherLevel).toMatchObject({ stored: 1, replayed: 1 });
  });

  it('a dead letter keeps the very key a re-run derives for its line: the file and a re-run never store it twice', async () => {
    const path = deadLetterPath();
    const failing = fakeClient(async (entry) => {
      if (entry.message === 'line 5') throw new NetworkError('connection reset', 'http://x');
      return { replayed: false };
    });
    await ingestWith(failing.client, input.slice(0, 10), 4, { deadLetter: deadLetterFile(path) });
    const service = rememberingService();
    const fromFile = await ingestWith(service.client, readFileSync(path, 'utf8').trim().split('\n'), 1);
    expect(fromFile).toMatchObject({ stored: 1 });
    const rerun = await ingestWith(service.client, input.slice(0, 10), 4);
    expect(rerun).toMatchObject({ stored: 9, replayed: 1 });
    expect(service.stored.map((e) => e.message).sort()).toEqual([...input.slice(0, 10)].sort());
  });
});

describe('runIngest: a dead-letter file that cannot be written (a full disk)', () => {
  const TOTAL = 1_000;
  /** The input, counting how many lines were taken from it. */
  function countedInput(lines: string[]) {
    const taken = { count: 0 };
    async function* read(): AsyncIterable<string> {
      for (const line of lines) {
        taken.count += 1;
        yield line;
      }
    }
    return { taken, lines: read() };
  }
  const input = Array.from({ length: TOTAL }, (_, i) => `full-disk line ${i + 1}`);
  // Every third line fails for good (to be dead-lettered); the others are stored after a tick.
  const flaky = (service: ReturnType<typeof rememberingService>) =>
    fakeClient(async (entry, key) => {
      await tick();
      const line = Number(/line (\d+)/.exec(entry.message)![1]);
      if (line % 3 === 0) throw new NetworkError('connection reset', 'http://x');
      return service.client.ingest(entry, { idempotencyKey: key });
    });

  it('stops reading, keeps the file whole, and accounts for every line read: stored, in the file, or not handled', async () => {
    const path = deadLetterPath();
    const service = rememberingService();
    const sender = flaky(service);
    const source = countedInput(input);
    const summary = await ingestWith(sender.client, source.lines, 16, {
      // Room for a few dozen dead letters, then ENOSPC in the middle of a line.
      deadLetter: deadLetterFile(path, { open: diskFullAfter(4_000).open }),
    });

    // Reading stopped soon after the failure: at most what was in flight, plus the line in hand.
    expect(source.taken.count).toBeLessThan(TOTAL);
    expect(summary.read).toBe(source.taken.count);
    expect(summary.deadLetterFailure).toBeInstanceOf(DeadLetterWriteError);
    const { read, stored, replayed, invalid, deadLettered, blank, skipped, notHandled } = summary;
    expect(stored + replayed + invalid + deadLettered + blank + skipped + notHandled).toBe(read);
    expect(notHandled).toBeGreaterThan(0);
    expect(summary.notHandledLines).toHaveLength(notHandled);

    // The file: whole lines only, exactly the ones counted as dead-lettered.
    const text = readFileSync(path, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const inFile = readDeadLetters(path).map((d) => Number(/line (\d+)/.exec(d.message as string)![1]));
    expect(inFile).toHaveLength(deadLettered);

    // Every line read is in exactly one place, and every line before the resume point is handled.
    const storedLines = service.stored.map((e) => Number(/line (\d+)/.exec(e.message)![1]));
    const places = [...storedLines, ...inFile, ...summary.notHandledLines].sort((a, b) => a - b);
    expect(places).toEqual(Array.from({ length: read }, (_, i) => i + 1));
    expect(summary.resumeFrom).toBe(summary.notHandledLines[0]);
    for (const line of summary.notHandledLines) expect(line).toBeGreaterThanOrEqual(summary.resumeFrom!);

    // What the user is told: the counts, the lines that went nowhere, where to go on from; exit 74.
    const text2 = formatIngestSummary(summary, { deadLetterPath: path }).join('\n');
    expect(text2).toContain(`${notHandled} not handled`);
    expect(text2).toContain(`cannot write the dead-letter file ${path}: no space left on the device`);
    expect(text2).toMatch(/not handled \(neither stored nor in the dead-letter file\): lines? \d/);
    expect(text2).toContain(`first line not yet handled: ${summary.resumeFrom}`);
    expect(text2).toContain(`run the same command with --from-line ${summary.resumeFrom}`);
    const outcome = ingestOutcomeError(summary, false, { deadLetterPath: path }) as DeadLetterWriteError;
    expect(exitCodeOf(outcome)).toBe(74);
    expect(outcome.message).toContain(`first line not yet handled: ${summary.resumeFrom}`);
    expect(outcome.hint).toContain(`sotail ingest --file ${path}`);
    expect(outcome.hint).toContain(`--from-line ${summary.resumeFrom}`);
  });

  it('then: the dead letters re-ingested and the input resumed --from-line store every line exactly once', async () => {
    const path = deadLetterPath();
    const service = rememberingService();
    const first = await ingestWith(flaky(service).client, input, 16, {
      deadLetter: deadLetterFile(path, { open: diskFullAfter(4_000).open }),
    });
    expect(first.resumeFrom).toBeDefined();
    // Space freed, the service well again.
    const letters = await ingestWith(service.client, readFileSync(path, 'utf8').trim().split('\n'), 4);
    expect(letters).toMatchObject({ stored: first.deadLettered, invalid: 0 });
    const resumed = await ingestWith(service.client, input, 16, { fromLine: first.resumeFrom });
    expect(resumed.skipped).toBe(first.resumeFrom! - 1);
    // Lines after the resume point that the first run had stored or dead-lettered come back as replays.
    expect(resumed.replayed).toBeGreaterThan(0);
    expect(resumed.stored + resumed.replayed + resumed.skipped).toBe(TOTAL);
    // Replays are what a resume expects: no advice to --resend.
    expect(formatIngestSummary(resumed, { deadLetterPath: 'x' }).join('\n')).not.toContain('--resend');
    expect(service.stored.map((e) => e.message).sort()).toEqual([...input].sort());
  });

  it('after --resend, the way to go on names the prefix the run drew: a resume with new keys would store twice', async () => {
    const fake = fakeClient(async () => {
      throw new NetworkError('connection reset', 'http://x');
    });
    const summary = await ingestWith(fake.client, input.slice(0, 50), 4, {
      deadLetter: deadLetterFile(deadLetterPath(), { open: diskFullAfter(300).open }),
    });
    const context = { deadLetterPath: 'dead.ndjson', resendPrefix: 'resend-abc123-' };
    const advice = `run the same command with --from-line ${summary.resumeFrom} and --idempotency-key-prefix resend-abc123- in place of --resend`;
    expect(formatIngestSummary(summary, context).join('\n')).toContain(advice);
    expect((ingestOutcomeError(summary, false, context) as DeadLetterWriteError).hint).toContain(advice);
  });

  it('a quota stop whose dead letters then hit a full disk: still stops reading, exit 74 decides', async () => {
    const path = deadLetterPath();
    const fake = fakeClient(async () => {
      throw quota();
    });
    const source = countedInput(input);
    const summary = await ingestWith(fake.client, source.lines, 1, {
      deadLetter: deadLetterFile(path, { open: diskFullAfter(500).open }),
    });
    expect(source.taken.count).toBeLessThan(20);
    expect(summary.deadLettered).toBe(readDeadLetters(path).length);
    expect(summary.notHandledLines).toEqual([summary.deadLettered + 1]);
    expect(exitCodeOf(ingestOutcomeError(summary))).toBe(74);
  });
});

function exitCodeOf(error: unknown): number {
  return exitCodeFor(error);
}

describe('runIngest: a service out of reach', () => {
  const refused = () =>
    new NetworkError('cannot connect to 127.0.0.1:4010: connection refused', 'http://127.0.0.1:4010/logs');
  const unavailable = () =>
    new ApiError({ status: 503, code: 'unavailable', message: 'down', url: 'http://x/logs', extra: {} });

  /** Each entry's retries take `perEntryMs` of the fake clock; `fails` decides which line fails. */
  function outage(fails: (line: number) => unknown, perEntryMs = 2_000) {
    let clock = 0;
    const fake = fakeClient(async (entry) => {
      clock += perEntryMs;
      await tick();
      const failure = fails(Number(entry.message.split(' ')[1]));
      if (failure) throw failure;
      return { replayed: false };
    });
    return { fake, now: () => clock };
  }

  it.each([
    ['refused', refused],
    ['answered 5xx after every retry', unavailable],
  ])(
    '%s for 30 s, every entry failing: reading stops, exit 5, with the line to go on from',
    async (_, error) => {
      const path = deadLetterPath();
      const { fake, now } = outage(() => error());
      const lines = Array.from({ length: 10_000 }, (_, i) => `line ${i + 1}`);
      const summary = await ingestWith(fake.client, lines, 4, { deadLetter: deadLetterFile(path), now });
      // 30 s of a fake clock at 2 s an entry: 15 entries or so, not 10,000 retry cycles.
      expect(fake.calls.length).toBeLessThan(30);
      expect(summary.read).toBeLessThan(40);
      expect(summary.stored).toBe(0);
      expect(summary.deadLettered).toBe(fake.calls.length);
      expect(summary.read).toBe(summary.deadLettered + summary.notHandled);
      expect(summary.resumeFrom).toBe(summary.notHandledLines[0] ?? summary.lastLine + 1);
      const outcome = ingestOutcomeError(summary);
      expect((outcome as Error).message).toMatch(
        /the service has taken no entry for \d+s \(\d+ in a row failed/,
      );
      expect(exitCodeOf(outcome)).toBe(5);
      const text = formatIngestSummary(summary, { deadLetterPath: path }).join('\n');
      expect(text).toMatch(/first line not yet handled: \d+/);
    },
  );

  it('a short outage dead-letters what it hit and the run goes on to the end', async () => {
    // Lines 20–29 fail (20 s at 2 s an entry, under the 30 s that stops the reading).
    const { fake, now } = outage((line) => (line >= 20 && line < 30 ? refused() : undefined));
    const lines = Array.from({ length: 200 }, (_, i) => `line ${i + 1}`);
    const summary = await ingestWith(fake.client, lines, 1, { now });
    expect(summary).toMatchObject({ read: 200, stored: 190, deadLettered: 10, resumeFrom: undefined });
  });

  it('failures that are not the whole service (some entries fail, others are stored) never stop it', async () => {
    const { fake, now } = outage((line) => (line % 2 === 0 ? unavailable() : undefined));
    const lines = Array.from({ length: 200 }, (_, i) => `line ${i + 1}`);
    const summary = await ingestWith(fake.client, lines, 4, { now });
    expect(summary).toMatchObject({ read: 200, stored: 100, deadLettered: 100, resumeFrom: undefined });
  });
});
