/**
 * Every engine test again, on the WebAssembly decoder: resume, dedupe, the frame limit, holes,
 * skipped frames and the byte path behave as they do on the JavaScript decoder.
 */

import { sseWasmModule } from '../../src/wasm/module.js';
import { wasmFrameDecoder } from '../../src/wasm/wasm-decoder.js';
import { runEngineTestsOn } from '../tail/decoder-under-test.js';

const module = sseWasmModule();
if (module === undefined) throw new Error('no WebAssembly framer: run the build first');
runEngineTestsOn(
  wasmFrameDecoder(module, () => {
    throw new Error('the WebAssembly decoder fell back to JavaScript');
  }),
);
await import('../tail/engine.test.js');
await import('../tail/oversize-frames.test.js');
await import('../tail/reconnect-floods.test.js');
