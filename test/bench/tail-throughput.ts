/**
 * B1/B2: `sotail tail --url` throughput against the baseline `curl -sN URL | sed -n 's/^data: //p'
 * | wc -l` on the same firehose, both as whole shell pipelines, alternating runs so that machine
 * noise hits both alike; the medians are compared. Peak RSS of the sotail process comes from
 * `/usr/bin/time -f %M`. Validity is checked in one more, untimed run whose output this process
 * reads whole (see `check` of each case).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFirehose } from './firehose.js';
import { BIN, emit, log, median, type Row } from './lib.js';

const EVENTS = Number(process.env.BENCH_TAIL_EVENTS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_TAIL_RUNS ?? 5);
const TIME = '/usr/bin/time';

export interface ThroughputCase {
  bench: 'B1' | 'B2';
  what: string;
  /** Output options of `sotail tail` (`-o ndjson`, `-o pretty`). */
  output: string[];
  env: Record<string, string>;
  /** Minimum throughput ratio to the baseline. */
  target: number;
  targetText: string;
  maxRssMb?: number;
  /** Checks every output line of the validation run; returns a problem, or undefined. */
  check: (line: string, index: number) => string | undefined;
  /** How the validation run checked the output, for the notes. */
  checkText: string;
}

interface Run {
  ms: number;
  lines: number;
}

function sh(script: string, env: NodeJS.ProcessEnv): Promise<Run> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', script], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0) reject(new Error(`${script} exited ${code}`));
      else resolve({ ms, lines: Number(out.trim()) });
    });
  });
}

const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

/** True when this build has `sotail tail` with `--url`. */
export function tailCommandAvailable(): boolean {
  const help = spawnSync(process.execPath, [BIN, 'tail', '--help'], { encoding: 'utf8' });
  return help.status === 0 && help.stdout.includes('--url');
}

export async function runTailThroughput(spec: ThroughputCase): Promise<void> {
  const available = tailCommandAvailable();
  const firehose = await startFirehose(EVENTS);
  const dir = mkdtempSync(join(tmpdir(), `sotail-${spec.bench.toLowerCase()}-`));
  const env = {
    ...process.env,
    SOTAIL_CONFIG_DIR: dir,
    SOTAIL_API_URL: 'http://127.0.0.1:9',
    NO_COLOR: '',
    ...spec.env,
  };
  const baselineScript = `curl -sN ${quote(firehose.url)} | sed -n 's/^data: //p' | wc -l`;
  const rssFile = join(dir, 'rss');
  const sotailArgs = [BIN, 'tail', '--url', firehose.url, ...spec.output, '--count', String(EVENTS)];
  const sotailScript = `${TIME} -f %M -o ${quote(rssFile)} ${[process.execPath, ...sotailArgs].map(quote).join(' ')} | wc -l`;
  log(
    `${spec.bench}: ${EVENTS.toLocaleString('en-US')} events, ${(firehose.bytes / 2 ** 20).toFixed(0)} MiB of SSE`,
  );
  try {
    const baseline: number[] = [];
    const ours: number[] = [];
    const rss: number[] = [];
    await sh(baselineScript, env); // warm caches
    for (let i = 0; i < RUNS; i++) {
      const base = await sh(baselineScript, env);
      if (base.lines !== EVENTS) throw new Error(`baseline printed ${base.lines} lines, not ${EVENTS}`);
      baseline.push(base.ms);
      log(`  baseline run ${i + 1}: ${base.ms.toFixed(0)} ms`);
      if (!available) continue;
      const run = await sh(sotailScript, env);
      if (run.lines !== EVENTS) throw new Error(`sotail tail printed ${run.lines} lines, not ${EVENTS}`);
      ours.push(run.ms);
      rss.push(Number(readFileSync(rssFile, 'utf8').trim()) / 1024);
      log(`  sotail run ${i + 1}: ${run.ms.toFixed(0)} ms, peak RSS ${rss.at(-1)!.toFixed(0)} MiB`);
    }
    const base = median(baseline);
    const baseText = `curl | sed | wc: ${base.toFixed(0)} ms (${rate(base)} events/s)`;
    if (!available) {
      emit({
        bench: spec.bench,
        what: spec.what,
        figure: 'skipped',
        baseline: baseText,
        target: spec.targetText,
        notes: 'skipped: this build has no `sotail tail --url` yet; the baseline half was measured',
      });
      return;
    }
    const problem = await validate(env, sotailArgs, spec);
    const time = median(ours);
    const ratio = base / time;
    const peak = Math.max(...rss);
    const rssOk = spec.maxRssMb === undefined || peak <= spec.maxRssMb;
    const row: Row = {
      bench: spec.bench,
      what: spec.what,
      figure: `${time.toFixed(0)} ms (${rate(time)} events/s), peak RSS ${peak.toFixed(0)} MiB`,
      baseline: baseText,
      ratio,
      target: spec.targetText,
      ok: ratio >= spec.target && rssOk && problem === undefined,
      notes: `median of ${RUNS} alternating runs; validity: ${problem ?? `every line passed (${spec.checkText})`}`,
    };
    emit(row);
  } finally {
    await firehose.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function rate(ms: number): string {
  return Math.round(EVENTS / (ms / 1_000)).toLocaleString('en-US');
}

/** One untimed run whose every output line this process checks; the first problem, or undefined. */
function validate(env: NodeJS.ProcessEnv, args: string[], spec: ThroughputCase): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let problem: string | undefined;
    let index = 0;
    let rest = '';
    const decoder = new TextDecoder();
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (rest + decoder.decode(chunk, { stream: true })).split('\n');
      rest = lines.pop()!;
      for (const line of lines) {
        problem ??= spec.check(line, index);
        index += 1;
      }
    });
    child.on('close', (code) => {
      if (rest !== '') problem ??= `an unterminated last line: ${rest.slice(0, 80)}`;
      if (code !== 0) problem ??= `exit ${code}`;
      if (index !== EVENTS) problem ??= `${index} lines, not ${EVENTS}`;
      resolve(problem);
    });
  });
}
