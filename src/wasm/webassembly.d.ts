/**
 * The part of the WebAssembly JavaScript API this project uses. Node has it all; TypeScript
 * declares it only in its DOM library, which a Node program should not pull in.
 */
declare namespace WebAssembly {
  class Module {
    constructor(bytes: ArrayBufferView | ArrayBuffer);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
  }
}
