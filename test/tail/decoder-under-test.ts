/**
 * The frame decoder the engine tests run on: the JavaScript one, unless a file that runs them
 * again picks another (test/wasm/engine-on-wasm.test.ts runs them on the WebAssembly decoder).
 */
import { openTail, type TailOptions, type TailStream } from '../../src/tail/engine.js';
import { type FrameDecoderFactory, sseFrameDecoder } from '../../src/tail/frame-decoder.js';

let current: FrameDecoderFactory = sseFrameDecoder;

export function decoderUnderTest(): FrameDecoderFactory {
  return current;
}

/** Makes the engine tests imported after this call run on `decoder`. */
export function runEngineTestsOn(decoder: FrameDecoderFactory): void {
  current = decoder;
}

/** A tail on the decoder under test whose backoff waits return at once (what is delivered, not when). */
export function instantTail(options: Partial<TailOptions> & Pick<TailOptions, 'source'>): TailStream {
  return openTail({
    signal: new AbortController().signal,
    sleep: async () => {},
    decoder: current,
    ...options,
  });
}
