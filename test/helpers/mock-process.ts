/**
 * `sotail mock` as its own process, as a user starts it: the end-to-end tests talk to it over
 * loopback exactly like a real service. Port 0; the URL is read from the listening line.
 */
import { spawn } from 'node:child_process';
import { BIN, readUntil } from './cli.js';

export interface MockProcess {
  url: string;
  /** What the mock said on stderr so far. */
  stderr(): string;
  /** Environment that points the CLI at this mock with the all-scopes dev token. */
  env: Record<string, string>;
  stop(): Promise<number | null>;
  /** Kills the process at once (SIGKILL: no flush, no clean end), as a crash would. */
  crash(): Promise<void>;
}

export const DEV_TOKEN = 'so_test_sotail_dev';
export const READONLY_TOKEN = 'so_test_sotail_readonly';
export const HOBBY_TOKEN = 'so_test_sotail_hobby';

export interface MockProcessOptions {
  /**
   * Runs the mock under `ulimit -f` (blocks of 512 or 1024 bytes, as the shell counts them): files
   * cannot grow past it, and writes fail part-way with EFBIG as on a full disk. No root needed.
   */
  fileSizeLimitBlocks?: number;
}

export async function startMockProcess(
  args: string[] = [],
  options: MockProcessOptions = {},
): Promise<MockProcess> {
  const argv = [BIN, 'mock', '--port', '0', ...args];
  const limit = options.fileSizeLimitBlocks;
  const child =
    limit === undefined
      ? spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn('sh', ['-c', `ulimit -f ${limit} && exec "$0" "$@"`, process.execPath, ...argv], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  let output: string;
  try {
    output = await readUntil(child.stdout, /listening on http:\/\/\S+\n/);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\nmock stderr:\n${stderr}`);
  }
  const url = /listening on (http:\/\/\S+)/.exec(output)![1]!;
  return {
    url,
    stderr: () => stderr,
    env: {
      SOTAIL_API_URL: url,
      SOTAIL_TOKEN: DEV_TOKEN,
      SOTAIL_RETRY_BASE_MS: '1',
      SOTAIL_RETRY_MAX_MS: '20',
    },
    crash: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}

/**
 * Every message the mock stored that starts with `prefix`, duplicates included: asked of the
 * service itself (one page of up to 1,000), so a check does not depend on the CLI's own query.
 */
export async function storedMessages(mock: MockProcess, prefix: string): Promise<string[]> {
  const response = await fetch(`${mock.url}/query`, {
    method: 'POST',
    headers: { authorization: `Bearer ${mock.env.SOTAIL_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ q: `message STARTSWITH ${JSON.stringify(prefix)}`, limit: 1000 }),
  });
  const page = (await response.json()) as { events?: { message: string }[]; next_cursor?: string | null };
  if (response.status !== 200 || !page.events || page.next_cursor !== null) {
    throw new Error(`query for ${prefix} answered ${response.status}: ${JSON.stringify(page).slice(0, 300)}`);
  }
  return page.events.map((event) => event.message);
}
