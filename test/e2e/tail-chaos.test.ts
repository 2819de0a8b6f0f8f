/**
 * The chaos test: 15,000 events through `sotail tail` while the mock cuts, drops, silences,
 * resets, restarts and refuses its streams dozens of times; the output is counted by event_id:
 * nothing lost, nothing twice, in log order.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { startTestMock } from '../helpers/mock-server.js';
import { spawnTail, until } from '../helpers/tail.js';

const ROUNDS = 20;
/** Per round: a first part through whatever connection is up, then a second one after the fault is armed. */
const FIRST = 250;
const SECOND = 500;

/** Seeded, so a failure can be replayed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

test('zero lost, zero duplicated over 15,000 events and dozens of faults', { timeout: 60_000 }, async () => {
  const random = prng(Number(process.env.CHAOS_SEED ?? 6));
  const dataFile = join(mkdtempSync(join(tmpdir(), 'sotail-chaos-')), 'events.ndjson');
  const mock = await startTestMock({ dataFile, replayWindow: 400 });
  // Tail faults break the next connection to open; each broken one opens the next, in a chain.
  mock.injectFault('cut:at=random');
  const tail = spawnTail(
    mock,
    ['--count', String(ROUNDS * (FIRST + SECOND)), '--heartbeat-timeout', '300ms', '-v'],
    {
      timeoutMs: 55_000,
      // Faults that pile up (a refused open after a refused open) would back off for seconds, and
      // each of the fifty-odd reconnects would wait the one-a-second floor: this test is about
      // what arrives, not about pacing (reconnect-floods.test.ts tests that on fake timers).
      env: { SOTAIL_RETRY_MAX_MS: '20' },
    },
  );
  let written = 0;
  tail.child.stdout.on('data', (chunk: string) => {
    for (let at = chunk.indexOf('\n'); at !== -1; at = chunk.indexOf('\n', at + 1)) written += 1;
  });
  await tail.live();
  // Each breaks the next connection to open; the replay window (400) is smaller than SECOND, so
  // an early drop or cut leaves a gap to backfill.
  const faults = [
    () => mock.injectFault('cut:at=random'),
    () => mock.injectFault(`drop:after=${1 + Math.floor(random() * 100)}`),
    () => mock.injectFault(`silence:after=${Math.floor(random() * SECOND)},for=2s`),
    () => mock.injectFault(`reset:after=${Math.floor(random() * SECOND)}`),
    () => mock.injectFault('503@tail:count=1,retry-after=0', 'cut:at=random'),
    () => mock.injectFault('429@tail:count=1,retry-after=0', 'drop:after=5'),
    () => mock.injectFault('500@tail:count=1', 'cut:at=random'),
  ];
  const appended: string[] = [];
  let injected = 0;
  const appendAndWait = async (count: number, label: string): Promise<void> => {
    // Some events arrive late, with an old `ts`: log order is ingestion order, not time order.
    const oldTs = new Date(Date.now() - 3_600_000).toISOString();
    const inputs = Array.from({ length: count }, (_, i) => ({
      message: `${label}-${i}`,
      level: 'info',
      source: 'api',
      ...(i % 50 === 7 ? { ts: oldTs } : {}),
    }));
    appended.push(...mock.append(...inputs).map((a) => a.event.event_id));
    try {
      await until(() => written >= appended.length, `${label}: ${appended.length} events written`, 20_000);
    } catch (error) {
      tail.child.kill('SIGKILL');
      const { stderr } = await tail.done;
      throw new Error(
        `${(error as Error).message}; ${written} written; the tail said:\n${stderr.slice(-3_000)}`,
      );
    }
  };
  for (let round = 0; round < ROUNDS; round += 1) {
    faults[Math.floor(random() * faults.length)]!();
    // A restart (the log kept, --data) cuts the connection in use: the next one takes the fault.
    await mock.restart();
    injected += 2;
    await appendAndWait(FIRST, `r${round}a`);
    await appendAndWait(SECOND, `r${round}b`);
  }
  const result = await tail.done;
  expect(result.code, result.stderr.slice(-2_000)).toBe(0);
  const ids = result.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line).event_id as string);
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids.length).toBe(appended.length);
  expect(ids).toEqual(appended);
  const reconnects = result.stderr.match(/reconnecting/g)?.length ?? 0;
  if (process.env.CHAOS_REPORT) {
    const count = (re: RegExp) => result.stderr.match(re)?.length ?? 0;
    console.log({
      reconnects,
      gaps: count(/could not replay/g),
      resets: count(/was reset/g),
      stale: count(/no data/g),
      cut: count(/cut/g),
      http: count(/(429|503|500) /g),
    });
  }
  expect(injected).toBe(2 * ROUNDS);
  expect(reconnects).toBeGreaterThanOrEqual(ROUNDS);
});
