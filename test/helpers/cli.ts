/**
 * Runs the built `bin/sotail` as a user would: a real process, real streams. `readUntil` waits for
 * output matching a pattern and fails with everything seen so far, instead of sleeping.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
export const BIN = join(REPO_ROOT, 'bin', 'sotail');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  stdin?: string | Buffer;
  /** Working directory; by default a fresh temporary one, so files the CLI writes never land in the repo. */
  cwd?: string;
  /** Leave stdin open for the test to write to (a `tail -f | sotail ...` pipeline). */
  openStdin?: boolean;
  timeoutMs?: number;
}

/** A fresh, empty config directory so tests never touch the user's profiles. */
export function tempConfigDir(): string {
  return mkdtempSync(join(tmpdir(), 'sotail-test-'));
}

/** The environment every spawned CLI gets: no colour surprises, no inherited profile or token. */
export function cliEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('SOTAIL_')) delete env[key];
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  delete env.CI;
  env.SOTAIL_CONFIG_DIR ??= tempConfigDir();
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** Spawns the CLI with its output piped (so stdout is not a TTY) and resolves when it exits. */
export function spawnCli(args: readonly string[], options: RunOptions = {}): ChildProcessWithoutNullStreams {
  const cwd = options.cwd ?? mkdtempSync(join(tmpdir(), 'sotail-cwd-'));
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: cliEnv(options.env), stdio: 'pipe' });
  if (options.stdin !== undefined) child.stdin.end(options.stdin);
  else if (!options.openStdin) child.stdin.end();
  return child;
}

export function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  const child = spawnCli(args, options);
  return collect(child, options.timeoutMs ?? 15_000, args);
}

export function collect(
  child: ChildProcessWithoutNullStreams,
  timeoutMs: number,
  args: readonly string[] = [],
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `sotail ${args.join(' ')} did not exit within ${timeoutMs} ms\n--- stdout\n${stdout}\n--- stderr\n${stderr}`,
        ),
      );
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
  });
}

/** Resolves with the text read so far once it matches `pattern`; rejects with that text on timeout. */
export function readUntil(
  stream: NodeJS.ReadableStream,
  pattern: RegExp,
  timeoutMs = 10_000,
): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let seen = '';
    const onData = (chunk: Buffer | string): void => {
      seen += chunk.toString();
      if (pattern.test(seen)) {
        cleanup();
        resolvePromise(seen);
      }
    };
    const onEnd = (): void => {
      cleanup();
      reject(new Error(`stream ended before ${pattern} appeared; saw:\n${seen}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${pattern}; saw:\n${seen}`));
    }, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('end', onEnd);
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
  });
}

/** Replaces what differs between runs (ports, ids, times, ANSI) so output can be compared exactly. */
export function normalizeOutput(text: string): string {
  return text
    .replace(/\u001b\[[0-9;]*m/g, '')
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'UUID')
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g, 'TIMESTAMP');
}

/** The objects of NDJSON output, one per non-empty line. */
export function parseNdjson(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
