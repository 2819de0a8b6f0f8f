/** Bytes as they arrive from a stream (Buffers), read without copying them. */

/** The bytes as a Buffer, without copying (the chunks of a stream already are). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Text of `bytes[start, end)`, invalid UTF-8 replaced (U+FFFD) as a TextDecoder would. */
export function utf8Text(bytes: Uint8Array, start: number, end: number): string {
  return asBuffer(bytes).toString('utf8', start, end);
}

/** A size for messages: `1000 B`, `64 KiB`, `8 MiB`, `1.5 GiB` (binary units, one decimal at most). */
export function formatByteSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const shown = unit === 0 ? String(Math.round(value)) : value.toFixed(1).replace(/\.0$/, '');
  return `${shown} ${units[unit]}`;
}
