/**
 * The stream shapes the program writes to and reads from: Node's streams plus what a terminal adds
 * (`isTTY`, size). Every layer that takes a stream as a parameter names it with these types.
 */

/** A writable stream that may be a terminal. */
export interface OutputStream extends NodeJS.WritableStream {
  isTTY?: boolean;
  columns?: number;
  rows?: number;
}

/** A readable stream that may be a terminal. */
export interface InputStream extends NodeJS.ReadableStream {
  isTTY?: boolean;
}
