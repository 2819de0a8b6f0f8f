import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

const ROOT = import.meta.dirname;
const TESTS = join(ROOT, 'test');
const TEST_FILE = /\.test\.tsx?$/;

/**
 * What makes a test end-to-end: it starts processes (node:child_process: `bin/sotail`, the mock as
 * a process, tmux) or reads the bundle in dist/.
 */
const END_TO_END = /['"]node:child_process['"]|['"](?:\.\.\/)*dist\/|'dist'/;
const RELATIVE_IMPORT = /(?:from|import\()\s*['"](\.{1,2}\/[^'"]+)['"]/g;

/**
 * Whether `file`, or any module of test/ it imports (a helper that spawns the CLI), is end-to-end.
 * Decided from the source, so a new test lands in the right project without a list to keep.
 */
function isEndToEnd(file: string, seen = new Set<string>()): boolean {
  if (seen.has(file)) return false;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  if (END_TO_END.test(text)) return true;
  for (const [, specifier] of text.matchAll(RELATIVE_IMPORT)) {
    const target = resolve(dirname(file), specifier!.replace(/\.js$/, ''));
    if (relative(TESTS, target).startsWith('..')) continue;
    const source = ['.ts', '.tsx'].map((ext) => target + ext).find((path) => existsSync(path));
    if (source && isEndToEnd(source, seen)) return true;
  }
  return false;
}

/**
 * What a test file changes in its process beyond its own modules: fake timers, spies on shared
 * objects, process.env, or another test file imported. Such a file runs in a process of its own;
 * the others share their worker (no re-import of vitest and src/ per file, a minute of CPU less).
 */
const CHANGES_ITS_PROCESS =
  /vi\.(?:useFakeTimers|spyOn|stubGlobal|stubEnv|mock|doMock)\(|process\.env\.\w+\s*=[^=]|import\(\s*['"][^'"]*\.test\.js['"]/;

const testFiles = readdirSync(TESTS, { recursive: true, encoding: 'utf8' })
  .filter((path) => TEST_FILE.test(path) && !path.startsWith('bench'))
  .map((path) => `test/${path.split('\\').join('/')}`)
  .sort();
const endToEnd = testFiles.filter((path) => isEndToEnd(join(ROOT, path)));
const unit = testFiles.filter((path) => !endToEnd.includes(path));
const isolated = testFiles.filter((path) => CHANGES_ITS_PROCESS.test(readFileSync(join(ROOT, path), 'utf8')));

/**
 * A project's files in a worker shared file after file (isolate: false), and beside it, named
 * `<name>-isolated`, those of its files that change their process, each in a process of its own.
 */
function projectsOf(name: string, files: readonly string[]): TestProjectInlineConfiguration[] {
  const own = files.filter((path) => isolated.includes(path));
  const shared: TestProjectInlineConfiguration = {
    extends: true,
    test: { name, include: files.filter((path) => !own.includes(path)), isolate: false },
  };
  if (own.length === 0) return [shared];
  return [shared, { extends: true, test: { name: `${name}-isolated`, include: own } }];
}

export default defineConfig({
  test: {
    // Every project runs on a fresh build, never a stale dist/: the end-to-end tests spawn bin/sotail,
    // and in-process tests of the WebAssembly framer load the dist/ module the build compiles.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Bounds every fast-check property by SOTAIL_FC_RUNS (README "Development").
    setupFiles: ['test/setup/fast-check.ts'],
    // Tests spawn real processes and servers; two cores do not need more than two forks.
    pool: 'forks',
    maxWorkers: 2,
    // The JSON report lets .ci/run print a plain "N passed, N failed" line (every project).
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    projects: [
      // In process: parsers, the engine, the mock on port 0, formatters, the live view's parts.
      ...projectsOf('unit', unit),
      // Spawned processes: bin/sotail as a user runs it, the mock as a process, tmux.
      ...projectsOf('e2e', endToEnd),
    ],
  },
});
