/**
 * B1/B2: `sotail tail --url` throughput against the baseline `curl -sN URL | sed -n 's/^data: //p'
 * | wc -l` on the same firehose, both as whole shell pipelines, alternating runs so that machine
 * noise hits both alike; the medians are compared. `/usr/bin/time` gives each pipeline's CPU time
 * and its largest process's peak RSS (sotail's, in the measured pipeline). Validity is checked in
 * one more, untimed run whose output this process reads whole (see `check` of each case).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
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

export interface Run {
  /** Wall time of the whole pipeline, measured here. */
  ms: number;
  /** CPU time (user + system) of every process of the pipeline, from /usr/bin/time. */
  cpuMs: number;
  /** The largest peak RSS of any process of the pipeline (sotail's, when it is in it). */
  peakMb: number;
  lines: number;
}

/** Runs a shell pipeline under /usr/bin/time; its stdout must be one number (wc -l). */
export function timed(script: string, env: NodeJS.ProcessEnv, statsFile: string): Promise<Run> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(TIME, ['-f', '%U %S %M', '-o', statsFile, 'sh', '-c', script], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0) {
        reject(new Error(`${script} exited ${code}`));
        return;
      }
      const [user, system, rssKb] = readFileSync(statsFile, 'utf8').trim().split(/\s+/).map(Number);
      resolve({
        ms,
        cpuMs: ((user ?? 0) + (system ?? 0)) * 1_000,
        peakMb: (rssKb ?? 0) / 1024,
        lines: Number(out.trim()),
      });
    });
  });
}

export const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

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
  const statsFile = join(dir, 'stats');
  const sotailArgs = [BIN, 'tail', '--url', firehose.url, ...spec.output, '--count', String(EVENTS)];
  const sotailScript = `${[process.execPath, ...sotailArgs].map(quote).join(' ')} | wc -l`;
  const load = loadavg()[0]!.toFixed(1);
  log(
    `${spec.bench}: ${EVENTS.toLocaleString('en-US')} events, ${(firehose.bytes / 2 ** 20).toFixed(0)} MiB of SSE, load ${load}`,
  );
  try {
    const baseline: Run[] = [];
    const ours: Run[] = [];
    await timed(baselineScript, env, statsFile); // warm caches
    for (let i = 0; i < RUNS; i++) {
      const base = await timed(baselineScript, env, statsFile);
      if (base.lines !== EVENTS) throw new Error(`baseline printed ${base.lines} lines, not ${EVENTS}`);
      baseline.push(base);
      log(`  baseline run ${i + 1}: ${describe(base)}`);
      if (!available) continue;
      const run = await timed(sotailScript, env, statsFile);
      if (run.lines !== EVENTS) throw new Error(`sotail tail printed ${run.lines} lines, not ${EVENTS}`);
      ours.push(run);
      log(`  sotail run ${i + 1}: ${describe(run)}`);
    }
    const base = median(baseline.map((run) => run.ms));
    const baseCpu = median(baseline.map((run) => run.cpuMs));
    const baseText = `curl | sed | wc: ${base.toFixed(0)} ms (${rate(base)} events/s), CPU ${baseCpu.toFixed(0)} ms`;
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
    const time = median(ours.map((run) => run.ms));
    const cpu = median(ours.map((run) => run.cpuMs));
    const ratio = base / time;
    const peak = Math.max(...ours.map((run) => run.peakMb));
    const rssOk = spec.maxRssMb === undefined || peak <= spec.maxRssMb;
    const row: Row = {
      bench: spec.bench,
      what: spec.what,
      figure: `${time.toFixed(0)} ms (${rate(time)} events/s), CPU ${cpu.toFixed(0)} ms, peak RSS ${peak.toFixed(0)} MiB`,
      baseline: baseText,
      ratio,
      target: spec.targetText,
      ok: ratio >= spec.target && rssOk && problem === undefined,
      notes:
        `median of ${RUNS} alternating runs, load average ${load} on ${cpus().length} CPUs ` +
        `(CPU-time ratio ${(baseCpu / cpu).toFixed(2)}×: on a busy machine wall time also counts waiting for a CPU); ` +
        `validity: ${problem ?? `every line passed (${spec.checkText})`}`,
    };
    emit(row);
  } finally {
    await firehose.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function describe(run: Run): string {
  return `${run.ms.toFixed(0)} ms, CPU ${run.cpuMs.toFixed(0)} ms, peak RSS ${run.peakMb.toFixed(0)} MiB`;
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
