// Bundles src/ into dist/ so that start-up resolves a handful of files instead of hundreds of
// modules (docs/performance.md, B4). Code splitting keeps lazily imported parts (the live view, the mock server,
// each command's core) in their own chunks, loaded only by the commands that need them.
// The tail's WebAssembly framer is compiled from AssemblyScript into dist/ beside them.

import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rename, rm } from 'node:fs/promises';
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
  define: { __SOTAIL_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
});

await compileWasm(`${staging}/sse-ndjson.wasm`);

await rename(dist, retired).catch((error) => {
  if (error.code !== 'ENOENT') throw error;
});
await rename(staging, dist);
await rm(retired, { recursive: true, force: true });

/**
 * Compiles src/wasm/assembly/sse-ndjson.ts with the AssemblyScript compiler (a devDependency: the
 * package ships the .wasm, never the compiler). SIMD, because the CLI runs V8 with
 * `--liftoff-only`, where scalar loops lose about half their speed and SIMD ones barely slow
 * (docs/performance.md). A compiled module is kept in node_modules/.cache by the hash of its
 * source, the compiler's version and the flags: the test setup builds before every run.
 */
async function compileWasm(target) {
  const root = new URL('..', import.meta.url).pathname;
  const source = 'src/wasm/assembly/sse-ndjson.ts';
  const flags = ['-O3', '--runtime', 'stub', '--noAssert', '--enable', 'simd'];
  const compiler = JSON.parse(await readFile(`${root}node_modules/assemblyscript/package.json`, 'utf8'));
  const hash = createHash('sha256')
    .update(await readFile(`${root}${source}`))
    .update(compiler.version)
    .update(flags.join(' '))
    .digest('hex')
    .slice(0, 16);
  const cached = `${root}node_modules/.cache/sotail/sse-ndjson-${hash}.wasm`;
  const have = await readFile(cached).catch(() => undefined);
  if (have === undefined) {
    const { default: asc } = await import('assemblyscript/asc');
    await mkdir(`${root}node_modules/.cache/sotail`, { recursive: true });
    const temporary = `${cached}.${process.pid}`;
    const { error, stderr } = await asc.main([`${root}${source}`, '-o', temporary, ...flags]);
    if (error) throw new Error(`AssemblyScript: ${error.message}\n${stderr.toString()}`);
    await rename(temporary, cached);
  }
  await copyFile(cached, target);
}
