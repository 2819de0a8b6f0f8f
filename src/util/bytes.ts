/** Bytes as they arrive from a stream (Buffers), read without copying them. */

/** The bytes as a Buffer, without copying (the chunks of a stream already are). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Text of `bytes[start, end)`, invalid UTF-8 replaced (U+FFFD) as a TextDecoder would. */
export function utf8Text(bytes: Uint8Array, start: number, end: number): string {
  return asBuffer(bytes).toString('utf8', start, end);
}
