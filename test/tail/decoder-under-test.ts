/**
 * The frame decoder the engine tests run on: the JavaScript one, unless a file that runs them
 * again picks another (test/wasm/engine-on-wasm.test.ts runs them on the WebAssembly decoder).
 */
import { type FrameDecoderFactory, sseFrameDecoder } from '../../src/tail/frame-decoder.js';

let current: FrameDecoderFactory = sseFrameDecoder;

export function decoderUnderTest(): FrameDecoderFactory {
  return current;
}

/** Makes the engine tests imported after this call run on `decoder`. */
export function runEngineTestsOn(decoder: FrameDecoderFactory): void {
  current = decoder;
}
