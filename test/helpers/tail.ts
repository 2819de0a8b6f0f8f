/**
 * Running `sotail tail` as a process against an in-process mock: spawn it, wait until the mock
 * sees its stream, and read its NDJSON back as event ids. Conditions are polled, never slept on.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import type { MockServer } from '../../src/mock/index.js';
import { type CliResult, collect, parseNdjson, readUntil, spawnCli } from './cli.js';
import { DEV_TOKEN } from './mock-server.js';

export interface TailProcess {
  child: ChildProcessWithoutNullStreams;
  /** Resolves when the process exits. */
  done: Promise<CliResult>;
  /**
   * Resolves once the tail is live and its first history walk (from "now") is over, so that
   * events appended from here on arrive through the stream. Needs `-v` in the arguments.
   */
  live: () => Promise<string>;
}

/**
 * For tests of resuming, not of pacing: reconnects a few milliseconds apart instead of the
 * product's one a second (the pacing itself is tested on fake timers, reconnect-floods.test.ts),
 * so a test with several cuts does not wait seconds of real time.
 */
export const QUICK_RECONNECTS: Record<string, string> = { SOTAIL_RETRY_MAX_MS: '200' };

export function spawnTail(
  mock: MockServer,
  args: readonly string[],
  options: { token?: string; timeoutMs?: number; env?: Record<string, string>; command?: string[] } = {},
): TailProcess {
  const command = options.command ?? ['tail'];
  const child = spawnCli([...command, ...args], {
    env: { SOTAIL_API_URL: mock.url, SOTAIL_TOKEN: options.token ?? DEV_TOKEN, ...options.env },
  });
  // A source without history (--url, a session resumed from its cursor) is ready once live.
  const ready = args.includes('--url') || args.includes('--session') || command.includes('resume');
  const live = readUntil(child.stderr, ready ? /sotail: live: .*\n/ : /sotail: history: \d+ events?\n/);
  live.catch(() => undefined);
  return {
    child,
    done: collect(child, options.timeoutMs ?? 30_000, [...command, ...args]),
    live: () => live,
  };
}

/** Polls `check` every few milliseconds until it holds; fails after `timeoutMs` saying what was awaited. */
export async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Waits until the mock holds `count` open tail streams. */
export function untilTails(mock: MockServer, count = 1): Promise<void> {
  return until(() => mock.snapshot().tails.active >= count, `${count} open tail(s)`);
}

export function eventIds(stdout: string): string[] {
  return parseNdjson(stdout).map((event) => String(event.event_id));
}

/** Appends `count` events with distinct messages; returns their event ids in log order. */
export function appendEvents(mock: MockServer, count: number, tag = 'e'): string[] {
  const inputs = Array.from({ length: count }, (_, i) => ({
    message: `${tag}${i}`,
    level: 'info',
    source: 'api',
  }));
  return mock.append(...inputs).map((appended) => appended.event.event_id);
}
