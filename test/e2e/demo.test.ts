import { describe, expect, it } from 'vitest';
import { collect, readUntil, runCli, spawnCli } from '../helpers/cli.js';

describe('sotail demo (npm start)', () => {
  it('--once runs the tour against its own mock and exits 0', async () => {
    const result = await runCli(['demo', '--once', '--history', '2000', '--rate', '5']);
    expect(result.stderr).toMatch(/a local logs service runs at http:\/\/127\.0\.0\.1:\d+/);
    expect(result.stderr).toContain("▸ sotail query 'severity >= warn GROUP BY source' --since 6h");
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n').filter((line) => line.startsWith('{"key":'));
    expect(lines.length).toBeGreaterThan(0);
    expect(result.stdout).toMatch(/^{"total":\d+,/m); // stats: NDJSON to a pipe, like everything else
  });

  it('keeps the service up until Ctrl-C, then stops cleanly with exit 0', async () => {
    const child = spawnCli(['demo', '--history', '100']);
    const told = await readUntil(child.stderr, /Press Ctrl-C to stop\./);
    // How to run sotail from the checkout, where a newcomer has no `sotail` on the PATH yet.
    expect(told).toMatch(/npx sotail query /);
    expect(told).toContain('npm link');
    child.kill('SIGINT');
    const result = await collect(child, 10_000);
    expect(result.code).toBe(0);
  });
});
