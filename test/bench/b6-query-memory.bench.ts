/**
 * B6: `query --all` over 1M stored events to a pipe must run in flat memory. Peak RSS of the
 * sotail process is compared between a 10k-event result and the whole 1M.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, emit, log, startMockProcess, watchPeakRss } from './lib.js';

const STORED = 1_000_000;
const TOKEN = 'so_test_sotail_dev';
const dir = mkdtempSync(join(tmpdir(), 'sotail-b6-'));

const mock = await startMockProcess(['--rate', '0', '--history', String(STORED), '--retain', String(STORED)]);
try {
  const run = async (
    args: string[],
  ): Promise<{ lines: number; peakMb: number; seconds: number; code: number | null }> => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [BIN, 'query', ...args], {
      env: { ...process.env, SOTAIL_API_URL: mock.url, SOTAIL_TOKEN: TOKEN, SOTAIL_CONFIG_DIR: dir },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let lines = 0;
    child.stdout!.on('data', (chunk: Buffer) => {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines += 1;
    });
    const peak = watchPeakRss(child);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    return { lines, peakMb: await peak, seconds: Number(process.hrtime.bigint() - started) / 1e9, code };
  };
  const small = await run(['--limit', '10000', '--since', '30d']);
  const all = await run(['--all', '--since', '30d']);
  log(
    `query --limit 10000: ${small.lines} lines, peak ${small.peakMb.toFixed(0)} MiB, ${small.seconds.toFixed(1)} s`,
  );
  log(`query --all: ${all.lines} lines, peak ${all.peakMb.toFixed(0)} MiB, ${all.seconds.toFixed(1)} s`);
  emit({
    bench: 'B6',
    what: `query --all over ${STORED.toLocaleString('en-US')} events to a pipe: peak RSS`,
    figure: `${all.peakMb.toFixed(0)} MiB for ${all.lines} lines (${(all.lines / all.seconds).toFixed(0)} events/s)`,
    baseline: `${small.peakMb.toFixed(0)} MiB for 10k`,
    ratio: all.peakMb / small.peakMb,
    target: '≤ 100 MB, flat (ratio ≈ 1)',
    ok: all.code === 0 && all.lines === STORED && all.peakMb <= 100 && all.peakMb / small.peakMb < 1.5,
  });
} finally {
  await mock.stop();
}
