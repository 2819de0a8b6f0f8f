/**
 * A service that breaks the contract must not break the CLI: an event nested far deeper than the
 * API allows (32 levels), from `/query`, is printed in every output with its deepest parts marked
 * instead of ending the run with a stack overflow.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, onTestFinished, test } from 'vitest';
import { parseNdjson, runCli } from '../helpers/cli.js';

const DEPTH = 20_000;
const deepEvent = `{"event_id":"e1","ts":"2026-05-17T10:00:00.000Z","severity":"info","message":"deep","payload":{"a":${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}}}`;

async function hostileService(): Promise<string> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        `{"events":[${deepEvent}],"next_cursor":null,"stats":{"scanned":1,"matched":1,"elapsed_ms":1}}`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test.each(['ndjson', 'json', 'pretty', 'table', 'raw'])(
  'query -o %s prints an event nested %#0 deep',
  async (format) => {
    const url = await hostileService();
    const result = await runCli(['query', '-o', format], {
      env: { SOTAIL_API_URL: url, SOTAIL_TOKEN: 'so_test_hostile' },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('deep');
    if (format === 'ndjson')
      expect(JSON.stringify(parseNdjson(result.stdout)[0])).toContain('"[nested too deep]"');
    if (format === 'json') expect(JSON.stringify(JSON.parse(result.stdout))).toContain('"[nested too deep]"');
  },
);
