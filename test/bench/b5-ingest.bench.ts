/**
 * B5: `sotail ingest` of 100k NDJSON lines into the mock over loopback, against what a shell script
 * would do: one `curl` per line, sequentially (timed on a sample, since 100k processes take ages).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, emit, log, startMockProcess } from './lib.js';

const LINES = 100_000;
const CURL_SAMPLE = 300;
const TOKEN = 'so_test_sotail_dev';
const SOURCES = ['api', 'web', 'worker', 'payments'];
const LEVELS = ['debug', 'info', 'info', 'info', 'warn', 'error'];

const dir = mkdtempSync(join(tmpdir(), 'sotail-b5-'));
const file = join(dir, 'lines.ndjson');
const line = (i: number): string =>
  JSON.stringify({
    level: LEVELS[i % LEVELS.length],
    message: `request ${i} handled in ${i % 997} ms`,
    source: SOURCES[i % SOURCES.length],
    meta: { request_id: `req-${i}`, status: 200 + (i % 5) },
  });
writeFileSync(file, `${Array.from({ length: LINES }, (_, i) => line(i)).join('\n')}\n`);

const mock = await startMockProcess(['--rate', '0', '--history', '0']);
try {
  const stats = (): number => {
    const out = spawnSync('curl', ['-s', '-H', `Authorization: Bearer ${TOKEN}`, `${mock.url}/logs/stats`], {
      encoding: 'utf8',
    });
    return (JSON.parse(out.stdout) as { total: number }).total;
  };

  // Baseline: a sequential curl per line.
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
  const before = stats();

  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [BIN, 'ingest', '--file', file, '--quiet'], {
    env: { ...process.env, SOTAIL_API_URL: mock.url, SOTAIL_TOKEN: TOKEN, SOTAIL_CONFIG_DIR: dir },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const stored = stats() - before;
  const rate = LINES / seconds;
  log(
    `ingest: ${LINES} lines in ${seconds.toFixed(2)} s (${rate.toFixed(0)}/s), exit ${code}, stored ${stored}`,
  );
  log(`curl baseline: ${curlRate.toFixed(0)}/s over ${CURL_SAMPLE} sequential requests`);
  const ratio = rate / curlRate;
  emit({
    bench: 'B5',
    what: `ingest ${LINES.toLocaleString('en-US')} NDJSON lines (default concurrency)`,
    figure: `${rate.toFixed(0)} entries/s, ${stored} stored`,
    baseline: `curl per line: ${curlRate.toFixed(0)}/s`,
    ratio,
    target: '≥ 50× and ≥ 5k/s, all stored once',
    ok: code === 0 && stored === LINES && ratio >= 50 && rate >= 5000,
  });
} finally {
  await mock.stop();
}
