/**
 * Builds the CLI once before any test runs: the end-to-end tests spawn `bin/sotail`, which runs
 * `dist/`, and `npx vitest run` alone would otherwise test whatever build was left lying around.
 * Every project (unit, unit-isolated, e2e) names this setup; it builds once per vitest run.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

export default function setup(): void {
  // Global setups run in vitest's own process, so this marks the build done for the other project.
  if (process.env.SOTAIL_TEST_BUILT === '1') return;
  const root = resolve(import.meta.dirname, '..');
  execFileSync(process.execPath, [resolve(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  process.env.SOTAIL_TEST_BUILT = '1';
}
