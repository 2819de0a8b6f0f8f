/**
 * Finds and compiles the WebAssembly framer that the build puts in `dist/` (scripts/build.mjs),
 * once per process. Undefined when it is missing or does not compile: the tail then uses its
 * JavaScript decoder, which does the same, slower.
 */
import { readFileSync } from 'node:fs';

const FILE = 'sse-ndjson.wasm';

/**
 * Where the module may be: beside the bundle's entry point (`dist/main.js`), beside its chunks
 * (`dist/chunks/`), or, when the sources run as they are (tests), in the build's `dist/`.
 */
const CANDIDATES = [`./${FILE}`, `../${FILE}`, `../../dist/${FILE}`];

let compiled: WebAssembly.Module | null | undefined;

/** The compiled framer module, or undefined when there is none to use. */
export function sseWasmModule(): WebAssembly.Module | undefined {
  if (compiled === undefined) compiled = compile();
  return compiled ?? undefined;
}

function compile(): WebAssembly.Module | null {
  for (const candidate of CANDIDATES) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(new URL(candidate, import.meta.url));
    } catch {
      continue;
    }
    try {
      return new WebAssembly.Module(bytes);
    } catch {
      return null;
    }
  }
  return null;
}
