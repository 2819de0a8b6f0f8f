// Bundles src/ into dist/ so that start-up resolves a handful of files instead of hundreds of
// modules (docs/performance.md, B4). Code splitting keeps lazily imported parts (ink, the mock server,
// each command's core) in their own chunks, loaded only by the commands that need them.

import { readFile, rename, rm } from 'node:fs/promises';
import { build } from 'esbuild';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));

// Build beside dist/ and swap it in, so a test run spawning bin/sotail never sees a half-empty dist/.
const dist = new URL('../dist', import.meta.url).pathname;
const staging = `${dist}.staging-${process.pid}`;
const retired = `${dist}.old-${process.pid}`;
await build({
  entryPoints: { main: 'src/main.ts' },
  outdir: staging,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.18',
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  // CommonJS dependencies (ajv under conf) call require() for Node built-ins; an ESM bundle has none.
  banner: {
    js: "import { createRequire as __sotailCreateRequire } from 'node:module'; const require = __sotailCreateRequire(import.meta.url);",
  },
  // ink imports react-devtools-core only when DEV=true; it is not a dependency of ours.
  external: ['react-devtools-core'],
  define: { __SOTAIL_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
});

await rename(dist, retired).catch((error) => {
  if (error.code !== 'ENOENT') throw error;
});
await rename(staging, dist);
await rm(retired, { recursive: true, force: true });
