/** Small helpers shared by the benchmarks: timing, medians, peak memory, and the row protocol. */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname ?? '.', '..', '..');
export const BIN = join(ROOT, 'bin', 'sotail');

export interface Row {
  bench: string;
  what: string;
  figure: string;
  baseline: string;
  ratio?: number;
  target: string;
  /** Undefined when nothing could be measured against the target (a skipped benchmark). */
  ok?: boolean;
  notes?: string;
}

/** One result row for scripts/bench.mjs (stdout); everything else goes to stderr. */
export function emit(row: Row): void {
  process.stdout.write(`${JSON.stringify(row)}\n`);
}

export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Wall time of a command run to completion, in ms. */
export function timeSync(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { env, stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** Samples a process's resident memory until it exits; resolves with the peak in MiB. */
export function watchPeakRss(child: ChildProcess, intervalMs = 20): Promise<number> {
  let peakKb = 0;
  const sample = (): void => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const hwm = /VmHWM:\s+(\d+)/.exec(status) ?? /VmRSS:\s+(\d+)/.exec(status);
      if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
    } catch {
      // The process has exited between samples.
    }
  };
  const timer = setInterval(sample, intervalMs);
  return new Promise((resolvePromise) => {
    child.on('exit', () => {
      clearInterval(timer);
      resolvePromise(peakKb / 1024);
    });
  });
}

/** Starts `sotail mock` as its own process and resolves with its URL once it listens. */
export async function startMockProcess(args: string[]): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [BIN, 'mock', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolvePromise, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(seen);
      if (match) resolvePromise(match[1]!);
    });
    child.on('exit', (code) => reject(new Error(`mock exited (${code}) before listening`)));
  });
  return {
    url,
    stop: () =>
      new Promise((resolvePromise) => {
        child.once('exit', () => resolvePromise());
        child.kill('SIGTERM');
      }),
  };
}
