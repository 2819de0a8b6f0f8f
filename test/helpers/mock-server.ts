/**
 * In-process mock servers for tests: port 0, short intervals (heartbeats every 50 ms, polls every
 * 10 ms), closed after each test. Use `startTestMock()` inside a test, or `withMock()` in a
 * describe block for one fresh server per test.
 */
import { afterEach, beforeEach, onTestFinished } from 'vitest';
import { type MockOptions, type MockServer, startMockServer } from '../../src/mock/index.js';

/** Tokens every mock accepts (see DEV_TOKENS). */
export const DEV_TOKEN = 'so_test_sotail_dev';
export const HOBBY_TOKEN = 'so_test_sotail_hobby';
export const READONLY_TOKEN = 'so_test_sotail_readonly';

export const TEST_MOCK_OPTIONS: Partial<MockOptions> = {
  port: 0,
  heartbeatMs: 50,
  pollIntervalMs: 10,
  idleTimeoutMs: 30_000,
  maxDurationMs: 60_000,
  slowClientTimeoutMs: 300,
  sseRetryMs: 100,
  seed: 1,
};

/** Starts a mock for the current test and closes it when the test ends. */
export async function startTestMock(options: Partial<MockOptions> = {}): Promise<MockServer> {
  const server = await startMockServer({ ...TEST_MOCK_OPTIONS, ...options });
  onTestFinished(() => server.close());
  return server;
}

/** A fresh mock for each test of the enclosing describe block; call the result to get it. */
export function withMock(options: Partial<MockOptions> = {}): () => MockServer {
  let server: MockServer | undefined;
  beforeEach(async () => {
    server = await startMockServer({ ...TEST_MOCK_OPTIONS, ...options });
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  return () => {
    if (!server) throw new Error('withMock(): the server exists only inside a test');
    return server;
  };
}
