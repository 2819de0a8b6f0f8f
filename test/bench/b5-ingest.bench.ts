/**
 * B5: `sotail ingest` into the mock over loopback.
 * 1. Throughput of 100k NDJSON lines, against what a shell script would do: one `curl` per line,
 *    sequentially (timed on a sample, since 100k processes take ages).
 * 2. Memory stays flat with the input: peak RSS at 40k and 400k lines (the larger within 15% of the
 *    smaller), and at 1M lines piped on stdin, under 150 MB. Memory that grows per request would
 *    show here long before a multi-GB file exhausts a machine.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, emit, log, startMockProcess, watchPeakRss } from './lib.js';

const LINES = 100_000;
const CURL_SAMPLE = 300;
const FLAT_SMALL = 40_000;
const FLAT_LARGE = 400_000;
const FLAT_HUGE = 1_000_000;
const RSS_CEILING_MB = 150;
const FLATNESS = 1.15;
const TOKEN = 'so_test_sotail_dev';
const SOURCES = ['api', 'web', 'worker', 'payments'];
const LEVELS = ['debug', 'info', 'info', 'info', 'warn', 'error'];

const dir = mkdtempSync(join(tmpdir(), 'sotail-b5-'));
const line = (i: number): string =>
  JSON.stringify({
    level: LEVELS[i % LEVELS.length],
    message: `request ${i} handled in ${i % 997} ms`,
    source: SOURCES[i % SOURCES.length],
    meta: { request_id: `req-${i}`, status: 200 + (i % 5) },
  });

/** Writes `count` lines to a file in chunks (1M lines do not fit one string comfortably). */
async function writeLines(name: string, count: number): Promise<string> {
  const path = join(dir, name);
  const out = createWriteStream(path);
  const CHUNK = 10_000;
  for (let start = 0; start < count; start += CHUNK) {
    const end = Math.min(count, start + CHUNK);
    const text = `${Array.from({ length: end - start }, (_, i) => line(start + i)).join('\n')}\n`;
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return path;
}

type Mock = Awaited<ReturnType<typeof startMockProcess>>;
// The mock keeps 200,000 events by default: the 1M-line row must be able to count every one.
const startMock = (): Promise<Mock> =>
  startMockProcess(['--rate', '0', '--history', '0', '--retain', '2000000']);

function stats(mock: Mock): number {
  const out = spawnSync('curl', ['-s', '-H', `Authorization: Bearer ${TOKEN}`, `${mock.url}/logs/stats`], {
    encoding: 'utf8',
  });
  return (JSON.parse(out.stdout) as { total: number }).total;
}

/**
 * Runs `sotail ingest` to completion against a fresh mock (so a million stored events from one
 * run do not weigh on the next); resolves with its exit code, seconds and peak RSS (MB).
 */
async function ingest(
  args: string[],
  stdinFile?: string,
  given?: Mock,
): Promise<{ code: number | null; seconds: number; peakMb: number; stored: number }> {
  const mock = given ?? (await startMock());
  const env = { ...process.env, SOTAIL_API_URL: mock.url, SOTAIL_TOKEN: TOKEN, SOTAIL_CONFIG_DIR: dir };
  const before = stats(mock);
  const started = process.hrtime.bigint();
  // A stopped run dead-letters what was in flight: into the scratch directory, not the checkout.
  const deadLetter = ['--dead-letter', join(dir, 'dead.ndjson')];
  const child: ChildProcess = spawn(process.execPath, [BIN, 'ingest', ...args, ...deadLetter, '--quiet'], {
    env,
    stdio: [stdinFile ? 'pipe' : 'ignore', 'inherit', 'inherit'],
  });
  if (stdinFile) createReadStream(stdinFile).pipe(child.stdin!);
  const peak = watchPeakRss(child);
  const [code] = (await once(child, 'exit')) as [number | null];
  const peakMb = await peak;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const stored = stats(mock) - before;
  if (!given) await mock.stop();
  return { code, seconds, peakMb, stored };
}

const mock = await startMock();

try {
  // 1. Throughput against a sequential curl per line.
  const file = await writeLines('lines.ndjson', LINES);
  const curlStarted = process.hrtime.bigint();
  for (let i = 0; i < CURL_SAMPLE; i++) {
    const result = spawnSync('curl', [
      '-s',
      '-o',
      '/dev/null',
      '-H',
      `Authorization: Bearer ${TOKEN}`,
      '-H',
      'Content-Type: application/json',
      '--data-binary',
      line(LINES + i),
      `${mock.url}/logs`,
    ]);
    if (result.status !== 0) throw new Error('curl failed');
  }
  const curlRate = CURL_SAMPLE / (Number(process.hrtime.bigint() - curlStarted) / 1e9);
  const run = await ingest(['--file', file], undefined, mock);
  const rate = LINES / run.seconds;
  log(
    `ingest: ${LINES} lines in ${run.seconds.toFixed(2)} s (${rate.toFixed(0)}/s), exit ${run.code}, stored ${run.stored}`,
  );
  log(`curl baseline: ${curlRate.toFixed(0)}/s over ${CURL_SAMPLE} sequential requests`);
  const ratio = rate / curlRate;
  emit({
    bench: 'B5',
    what: `ingest ${LINES.toLocaleString('en-US')} NDJSON lines (default concurrency)`,
    figure: `${rate.toFixed(0)} entries/s, ${run.stored} stored`,
    baseline: `curl per line: ${curlRate.toFixed(0)}/s`,
    ratio,
    target: '≥ 50× and ≥ 5k/s, all stored once',
    ok: run.code === 0 && run.stored === LINES && ratio >= 50 && rate >= 5000,
  });
  rmSync(file);

  // 2. Flat memory: the same peak at 40k and 400k lines, and a bounded one at 1M.
  const small = await ingest(['--file', await writeLines('small.ndjson', FLAT_SMALL)]);
  rmSync(join(dir, 'small.ndjson'));
  const large = await ingest(['--file', await writeLines('large.ndjson', FLAT_LARGE)]);
  rmSync(join(dir, 'large.ndjson'));
  log(
    `peak RSS: ${small.peakMb.toFixed(0)} MB at ${FLAT_SMALL} lines, ${large.peakMb.toFixed(0)} MB at ${FLAT_LARGE}`,
  );
  const growth = large.peakMb / small.peakMb;
  emit({
    bench: 'B5',
    what: `peak RSS, ${FLAT_LARGE.toLocaleString('en-US')} vs ${FLAT_SMALL.toLocaleString('en-US')} lines (--file)`,
    figure: `${large.peakMb.toFixed(0)} MB vs ${small.peakMb.toFixed(0)} MB`,
    baseline: `${FLAT_SMALL.toLocaleString('en-US')} lines`,
    ratio: growth,
    target: `≤ ${FLATNESS}× (flat), all stored`,
    ok:
      growth <= FLATNESS &&
      small.code === 0 &&
      large.code === 0 &&
      small.stored === FLAT_SMALL &&
      large.stored === FLAT_LARGE,
  });
  const hugeFile = await writeLines('huge.ndjson', FLAT_HUGE);
  const huge = await ingest([], hugeFile);
  rmSync(hugeFile);
  log(
    `peak RSS at ${FLAT_HUGE} lines on stdin: ${huge.peakMb.toFixed(0)} MB in ${huge.seconds.toFixed(1)} s`,
  );
  emit({
    bench: 'B5',
    what: `peak RSS at ${FLAT_HUGE.toLocaleString('en-US')} lines piped on stdin`,
    figure: `${huge.peakMb.toFixed(0)} MB, ${huge.stored} stored`,
    baseline: `${RSS_CEILING_MB} MB ceiling`,
    ratio: huge.peakMb / RSS_CEILING_MB,
    target: `≤ ${RSS_CEILING_MB} MB, all stored`,
    ok: huge.peakMb <= RSS_CEILING_MB && huge.code === 0 && huge.stored === FLAT_HUGE,
  });
} finally {
  await mock.stop();
  rmSync(dir, { recursive: true, force: true });
}
