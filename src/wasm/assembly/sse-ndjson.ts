/**
 * The tail's hot path in WebAssembly (AssemblyScript): SSE framing and JSON validation of a whole
 * chunk per call. It follows src/tail/sse-parser.ts and src/util/json-bytes.ts rule for rule, and
 * the differential fuzz test holds it to them (docs/tail.md, "How the tail reads the stream"):
 *
 * - lines end in LF, CR or CRLF (a CR ending a chunk waits for the next); one leading BOM is
 *   dropped; comments are skipped; `data`, `event`, `id` (none with a NUL; empty clears) and
 *   `retry` (digits only) as the WHATWG rules say; a frame is dispatched on an empty line when it
 *   had data; a frame over the limit is skipped as the JavaScript parser skips it (a line longer
 *   than the limit is discarded as it arrives, and a `data:`, `event:` or `id:` line that long, or
 *   data adding up to more, makes its frame skipped and counted), and the stream goes on.
 * - each frame's data (lines joined by LF) is copied into the output region followed by an LF,
 *   checked against the JSON grammar with strict UTF-8 inside strings, and the top-level
 *   `event_id` string found. Valid objects in a row are NDJSON lines in a row, which the caller
 *   writes out as one slice. An object over several lines gets spaces for its joins (they can only
 *   be whitespace between tokens).
 * - what this module does not decide it says so: data that is not valid UTF-8, and values nested
 *   deeper than its stack, are left to the JavaScript reference (rare, and exact by construction).
 *
 * Memory: a header the caller reads, a fixed JSON stack, then regions that grow (by doubling, at
 * the top of memory) to fit the input. Nothing is allocated by the AssemblyScript runtime.
 */

// ---- The header: what the caller reads after each call (i32 slots, byte offsets). ----
const H_IN = 0; // where the caller copies the next chunk (set by prepare)
const H_OUT = 4; // the output region: every dispatched frame's data, each followed by LF
const H_OUT_LEN = 8;
const H_TXT = 12; // ids, event names and `retry` digits of this call's frames
const H_TXT_LEN = 16;
const H_META = 20; // one record of META_INTS i32 per frame
const H_FRAMES = 24;
const H_RETRY_START = 32; // the last valid `retry:` digits in TXT, or -1
const H_RETRY_END = 36;
const H_TOO_LARGE = 40; // frames skipped in this call for being over the limit
const HEADER_BYTES = 64;

// ---- A frame's record (i32 slots). ----
const M_FLAGS = 0;
const M_DATA_START = 1; // in OUT
const M_DATA_END = 2;
const M_EVENT_ID_START = 3; // in OUT, -1 when none
const M_EVENT_ID_END = 4;
const M_ID_START = 5; // in TXT; an empty range: no id in force
const M_ID_END = 6;
const M_NAME_START = 7; // in TXT, when F_NAME_CHANGED; empty: `message`
const M_NAME_END = 8;
const META_INTS = 10;

// Flags: the verdict in the low bits, then facts about the data.
const VERDICT_MASK = 7;
const V_OBJECT = 1;
const V_NOT_JSON = 2;
const V_NOT_OBJECT = 3;
const V_TOO_DEEP = 4;
const F_MULTI_LINE = 8;
const F_NOT_UTF8 = 16;
const F_EVENT_ID_NEEDS_PARSE = 32;
const F_NAME_CHANGED = 64;

// ---- Bytes. ----
const LF = 10;
const CR = 13;
const SPACE = 0x20;
const COLON = 0x3a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
/** `data`, `id`, `event`, `retry` as little-endian words. */
const WORD_DATA: u32 = 0x61746164;
const WORD_ID: u16 = 0x6469;
const WORD_EVEN: u32 = 0x6e657665; // `even` + `t`
const WORD_RETR: u32 = 0x72746572; // `retr` + `y`
/** `event_id` as a little-endian u64. */
const WORD_EVENT_ID: u64 = 0x64695f746e657665;
/** `true`, `fals` + `e`, `null` as little-endian words. */
const WORD_TRUE: u32 = 0x65757274;
const WORD_FALS: u32 = 0x736c6166;
const WORD_NULL: u32 = 0x6c6c756e;

/** Values nested deeper than this are left to the JavaScript scanner (no stack grows here). */
const DEPTH_CAP = 4096;
/** Regions read 16 bytes at a time may read this far past their end. */
const PAD = 16;

// ---- Regions: pointer and capacity, grown by doubling. ----
/** The capacity regrow gave its region. */
let newCap: i32 = 0;
let header: usize = 0;
let stack: usize = 0;
let top: usize = 0;
let inPtr: usize = 0;
let inCap: i32 = 0;
let outPtr: usize = 0;
let outCap: i32 = 0;
let txtPtr: usize = 0;
let txtCap: i32 = 0;
let metaPtr: usize = 0;
let metaCap: i32 = 0;
/** The id in force, the current frame's event name, the last dispatched frame's event name. */
let idPtr: usize = 0;
let idCap: i32 = 0;
let namePtr: usize = 0;
let nameCap: i32 = 0;
let prevNamePtr: usize = 0;
let prevNameCap: i32 = 0;

// ---- Parser state carried between calls. ----
let maxFrameBytes: i32 = 8 * 1024 * 1024;
/** Bytes of an unfinished line at the start of IN. */
let carryLen: i32 = 0;
/** Output bytes: [frameDataStart, outLen) is the open frame's data so far. */
let outLen: i32 = 0;
let frameDataStart: i32 = 0;
let dataLines: i32 = 0;
/** What the frame limit counts: each data line's value and one byte for its line end. */
let dataBytes: i64 = 0;
let idLen: i32 = 0;
let idVersion: i32 = 0;
let nameLen: i32 = 0;
let prevNameLen: i32 = 0;
let skipLeadingLf = false;
let bomChecked = false;
/** A line over the limit is being discarded up to its end. */
let discardingLine = false;
/** The open frame is over the limit: its data is dropped, and its end counts it. */
let frameTooLarge = false;
/** The open frame had a `data:` line (kept or dropped). */
let frameHasData = false;

// ---- Per call. ----
let txtLen: i32 = 0;
let frames: i32 = 0;
let tooLargeFrames: i32 = 0;
let reportedIdVersion: i32 = -1;
let reportedIdStart: i32 = 0;
let reportedIdEnd: i32 = 0;

// ---- The scanner's findings. ----
let eventIdStart: i32 = -1;
let eventIdEnd: i32 = -1;
let eventIdNeedsParse = false;

@inline function byteAt(p: usize): i32 {
  return <i32>load<u8>(p);
}

function allocate(size: i32): usize {
  const ptr = (top + 15) & ~(<usize>15);
  const end = ptr + <usize>size + PAD;
  const pages = <i32>((end + 0xffff) >>> 16) - memory.size();
  if (pages > 0 && memory.grow(pages) < 0) unreachable();
  top = end;
  return ptr;
}

/** A bigger home for a region, keeping its first `keep` bytes. */
function regrow(ptr: usize, cap: i32, need: i32, keep: i32): usize {
  let size = cap * 2;
  if (size < need) size = need;
  if (size < 4096) size = 4096;
  const fresh = allocate(size);
  if (keep > 0) memory.copy(fresh, ptr, <usize>keep);
  newCap = size;
  return fresh;
}

/** Sets the stream up: the frame limit and where the initial id is to be copied (its length). */
export function init(frameLimit: i32, initialIdLen: i32): usize {
  header = allocate(HEADER_BYTES);
  stack = allocate(DEPTH_CAP);
  maxFrameBytes = frameLimit;
  idPtr = regrow(0, 0, initialIdLen, 0);
  idCap = newCap;
  idLen = initialIdLen;
  idVersion = 1;
  namePtr = regrow(0, 0, 0, 0);
  nameCap = newCap;
  prevNamePtr = regrow(0, 0, 0, 0);
  prevNameCap = newCap;
  return idPtr;
}

/** The header's address. */
export function headerAddress(): usize {
  return header;
}

/**
 * Makes room for the next chunk of `chunkLen` bytes and returns where to copy it. What the last
 * call left for the caller (output, text, records) is gone after this.
 */
export function prepare(chunkLen: i32): usize {
  // The open frame's data moves to the start of the output.
  const pending = outLen - frameDataStart;
  if (frameDataStart > 0 && pending > 0) memory.copy(outPtr, outPtr + <usize>frameDataStart, <usize>pending);
  outLen = pending;
  frameDataStart = 0;
  const total = carryLen + chunkLen;
  if (total > inCap) {
    inPtr = regrow(inPtr, inCap, total, carryLen);
    inCap = newCap;
  }
  // Each input byte adds one output byte at most (a data line's value, or the LF of a join or of
  // a dispatch, for which a line end was read).
  if (pending + total > outCap) {
    outPtr = regrow(outPtr, outCap, pending + total, pending);
    outCap = newCap;
  }
  // The id and name in force are copied once at most; every other text byte came in this call.
  const text = idLen + nameLen + total;
  if (text > txtCap) {
    txtPtr = regrow(txtPtr, txtCap, text, 0);
    txtCap = newCap;
  }
  // One frame per six input bytes at most (`data` and its line end, an empty line), plus the open one.
  const records = (total / 6 + 2) * META_INTS * 4;
  if (records > metaCap) {
    metaPtr = regrow(metaPtr, metaCap, records, 0);
    metaCap = newCap;
  }
  store<i32>(header + H_IN, <i32>(inPtr + <usize>carryLen));
  return inPtr + <usize>carryLen;
}

/**
 * Reads the chunk copied where prepare said: splits its lines, dispatches the frames they
 * complete, checks their data and writes the records. Returns the number of frames; the header
 * says how many were skipped for being over the limit.
 */
export function feed(chunkLen: i32): i32 {
  const total = carryLen + chunkLen;
  txtLen = 0;
  frames = 0;
  tooLargeFrames = 0;
  reportedIdVersion = -1;
  store<i32>(header + H_RETRY_START, -1);
  store<i32>(header + H_RETRY_END, -1);
  let pos = 0;
  if (!bomChecked) {
    const known = total < 3 ? total : 3;
    let bom = true;
    if (known > 0 && byteAt(inPtr) != 0xef) bom = false;
    if (known > 1 && byteAt(inPtr + 1) != 0xbb) bom = false;
    if (known > 2 && byteAt(inPtr + 2) != 0xbf) bom = false;
    if (!bom) {
      bomChecked = true;
    } else if (known < 3) {
      // Too few bytes to tell a BOM from a line that starts with its first bytes: wait for more
      // (two at most, held whatever the limit, as the JavaScript parser holds them).
      carryLen = total;
      return finish();
    } else {
      bomChecked = true;
      pos = 3;
    }
  }
  if (skipLeadingLf && pos < total) {
    skipLeadingLf = false;
    if (byteAt(inPtr + <usize>pos) == LF) pos += 1;
  }
  if (discardingLine && pos < total) {
    const end = lineEnd(pos, total);
    if (end < 0) {
      carryLen = 0;
      return finish();
    }
    discardingLine = false;
    pos = afterLineEnd(end, total);
  }
  while (pos < total) {
    const end = lineEnd(pos, total);
    if (end < 0) break;
    if (end - pos > maxFrameBytes) lineTooLarge(pos, end);
    else line(inPtr + <usize>pos, inPtr + <usize>end);
    pos = afterLineEnd(end, total);
  }
  carryLen = total - pos;
  if (carryLen > maxFrameBytes) {
    // A line longer than the limit is not held: the rest of it is discarded as it arrives.
    lineTooLarge(pos, total);
    discardingLine = true;
    carryLen = 0;
  } else if (carryLen > 0 && pos > 0) {
    memory.copy(inPtr, inPtr + <usize>pos, <usize>carryLen);
  }
  return finish();
}

/** Where the next line starts after the line end at `end` (CR, LF, or CR LF across chunks). */
function afterLineEnd(end: i32, total: i32): i32 {
  const next = end + 1;
  if (byteAt(inPtr + <usize>end) != CR) return next;
  if (next >= total) {
    skipLeadingLf = true;
    return next;
  }
  return byteAt(inPtr + <usize>next) == LF ? next + 1 : next;
}

/**
 * The line starting at IN[start] (`end` is its end or what has arrived of it) is over the limit:
 * it is dropped, and what it was decides what else goes: a `data:`, `event:` or `id:` line makes
 * its frame skipped (an `id:` also clears the id in force, as no id that size can be sent back).
 */
function lineTooLarge(start: i32, end: i32): void {
  const at = inPtr + <usize>start;
  const length = end - start;
  if (length >= 5 && load<u32>(at) == WORD_DATA && byteAt(at + 4) == COLON) {
    frameHasData = true;
    skipFrame();
  } else if (length >= 6 && load<u32>(at) == WORD_EVEN && byteAt(at + 4) == 0x74 && byteAt(at + 5) == COLON) {
    skipFrame();
  } else if (length >= 3 && load<u16>(at) == WORD_ID && byteAt(at + 2) == COLON) {
    idLen = 0;
    idVersion += 1;
    skipFrame();
  }
  // Comments, unknown fields and `retry:` are ignored at any size.
}

/** The open frame is over the limit: its data goes, and it is counted when it ends. */
function skipFrame(): void {
  frameTooLarge = true;
  outLen = frameDataStart;
  dataLines = 0;
  dataBytes = 0;
}

function finish(): i32 {
  store<i32>(header + H_OUT, <i32>outPtr);
  // What the caller may take: the dispatched frames, not the open one.
  store<i32>(header + H_OUT_LEN, frameDataStart);
  store<i32>(header + H_TXT, <i32>txtPtr);
  store<i32>(header + H_TXT_LEN, txtLen);
  store<i32>(header + H_META, <i32>metaPtr);
  store<i32>(header + H_FRAMES, frames);
  store<i32>(header + H_TOO_LARGE, tooLargeFrames);
  return frames;
}

/** The index of the first LF or CR in IN[pos, total), or -1. */
@inline function lineEnd(pos: i32, total: i32): i32 {
  if (ASC_FEATURE_SIMD) {
    const lf = i8x16.splat(<i8>LF);
    const cr = i8x16.splat(<i8>CR);
    while (pos < total) {
      const v = v128.load(inPtr + <usize>pos);
      let mask = i8x16.bitmask(v128.or(i8x16.eq(v, lf), i8x16.eq(v, cr)));
      const left = total - pos;
      if (left < 16) mask &= (1 << left) - 1;
      if (mask != 0) return pos + ctz(mask);
      pos += 16;
    }
    return -1;
  } else {
    while (pos < total) {
      const c = byteAt(inPtr + <usize>pos);
      if (c == LF || c == CR) return pos;
      pos += 1;
    }
    return -1;
  }
}

/** One line [start, end) of IN, no longer than the limit. */
function line(start: usize, end: usize): void {
  if (start == end) {
    dispatch();
    return;
  }
  if (byteAt(start) == COLON) return; // a comment, e.g. the heartbeat
  let colon = start;
  while (colon < end && byteAt(colon) != COLON) colon += 1;
  let value = colon + 1;
  if (value < end && byteAt(value) == SPACE) value += 1;
  if (value > end) value = end;
  const nameLength = <i32>(colon - start);
  if (nameLength == 4 && load<u32>(start) == WORD_DATA) {
    addData(value, end);
    return;
  }
  if (nameLength == 5 && load<u32>(start) == WORD_EVEN && byteAt(start + 4) == 0x74) {
    setName(value, end);
  } else if (nameLength == 2 && load<u16>(start) == WORD_ID) {
    setId(value, end);
  } else if (nameLength == 5 && load<u32>(start) == WORD_RETR && byteAt(start + 4) == 0x79) {
    setRetry(value, end);
  }
  // Unknown fields are ignored, as the standard says.
}

function addData(start: usize, end: usize): void {
  frameHasData = true;
  if (frameTooLarge) return;
  const length = <i32>(end - start);
  dataBytes += <i64>length + 1;
  if (dataBytes > <i64>maxFrameBytes) {
    skipFrame();
    return;
  }
  if (dataLines > 0) {
    store<u8>(outPtr + <usize>outLen, LF);
    outLen += 1;
  }
  memory.copy(outPtr + <usize>outLen, start, <usize>length);
  outLen += length;
  dataLines += 1;
}

function setName(start: usize, end: usize): void {
  const length = <i32>(end - start);
  if (length > nameCap) {
    namePtr = regrow(namePtr, nameCap, length, 0);
    nameCap = newCap;
  }
  memory.copy(namePtr, start, <usize>length);
  nameLen = length;
}

function setId(start: usize, end: usize): void {
  for (let p = start; p < end; p++) if (byteAt(p) == 0) return;
  const length = <i32>(end - start);
  if (length > idCap) {
    idPtr = regrow(idPtr, idCap, length, 0);
    idCap = newCap;
  }
  memory.copy(idPtr, start, <usize>length);
  idLen = length;
  idVersion += 1;
}

function setRetry(start: usize, end: usize): void {
  if (start >= end) return;
  for (let p = start; p < end; p++) {
    const c = byteAt(p);
    if (c < ZERO || c > NINE) return;
  }
  const length = <i32>(end - start);
  memory.copy(txtPtr + <usize>txtLen, start, <usize>length);
  store<i32>(header + H_RETRY_START, txtLen);
  store<i32>(header + H_RETRY_END, txtLen + length);
  txtLen += length;
}

function dispatch(): void {
  const frameNameLen = nameLen;
  nameLen = 0;
  if (frameTooLarge) {
    if (frameHasData) tooLargeFrames += 1;
    frameTooLarge = false;
    frameHasData = false;
    return;
  }
  frameHasData = false;
  if (dataLines == 0) return;
  const dataStart = frameDataStart;
  const dataEnd = outLen;
  const first = outPtr + <usize>dataStart;
  const last = outPtr + <usize>dataEnd;
  store<u8>(last, 0); // the scan's sentinel; the frame's LF goes there after
  let flags = scanJson(first, last);
  if (dataLines > 1) flags |= F_MULTI_LINE;
  if (flags == V_OBJECT || flags == (V_OBJECT | F_MULTI_LINE)) {
    if (eventIdNeedsParse) flags |= F_EVENT_ID_NEEDS_PARSE;
    // Valid JSON holds line breaks only between tokens: a space does as well, on one line.
    if (dataLines > 1) for (let p = first; p < last; p++) if (byteAt(p) == LF) store<u8>(p, SPACE);
  } else if (!isUtf8(first, last)) {
    flags |= F_NOT_UTF8;
  }
  store<u8>(outPtr + <usize>outLen, LF);
  outLen += 1;
  const record = metaPtr + <usize>(frames * META_INTS * 4);
  store<i32>(record + M_DATA_START * 4, dataStart);
  store<i32>(record + M_DATA_END * 4, dataEnd);
  const objectFound = (flags & VERDICT_MASK) == V_OBJECT;
  store<i32>(record + M_EVENT_ID_START * 4, objectFound && eventIdStart >= 0 ? eventIdStart - <i32>outPtr : -1);
  store<i32>(record + M_EVENT_ID_END * 4, objectFound && eventIdStart >= 0 ? eventIdEnd - <i32>outPtr : -1);
  // The id in force, copied into this call's text once per change.
  if (idLen == 0) {
    store<i32>(record + M_ID_START * 4, 0);
    store<i32>(record + M_ID_END * 4, 0);
  } else {
    if (reportedIdVersion != idVersion) {
      memory.copy(txtPtr + <usize>txtLen, idPtr, <usize>idLen);
      reportedIdStart = txtLen;
      txtLen += idLen;
      reportedIdEnd = txtLen;
      reportedIdVersion = idVersion;
    }
    store<i32>(record + M_ID_START * 4, reportedIdStart);
    store<i32>(record + M_ID_END * 4, reportedIdEnd);
  }
  // The event name, when it differs from the last frame's (the caller keeps that one's text).
  if (!sameBytes(namePtr, frameNameLen, prevNamePtr, prevNameLen)) {
    flags |= F_NAME_CHANGED;
    memory.copy(txtPtr + <usize>txtLen, namePtr, <usize>frameNameLen);
    store<i32>(record + M_NAME_START * 4, txtLen);
    txtLen += frameNameLen;
    store<i32>(record + M_NAME_END * 4, txtLen);
    if (frameNameLen > prevNameCap) {
      prevNamePtr = regrow(prevNamePtr, prevNameCap, frameNameLen, 0);
      prevNameCap = newCap;
    }
    memory.copy(prevNamePtr, namePtr, <usize>frameNameLen);
    prevNameLen = frameNameLen;
  }
  store<i32>(record + M_FLAGS * 4, flags);
  frames += 1;
  frameDataStart = outLen;
  dataLines = 0;
  dataBytes = 0;
}

function sameBytes(a: usize, aLen: i32, b: usize, bLen: i32): bool {
  if (aLen != bLen) return false;
  if (aLen == 0) return true;
  return memory.compare(a, b, <usize>aLen) == 0;
}

// ---- UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF). ----

/** After the character that starts at p (a byte from 0x80 up): its end, or 0 when invalid. */
function utf8Character(p: usize, end: usize): usize {
  const c = byteAt(p);
  if (c < 0xc2) return 0;
  if (c < 0xe0) {
    if (p + 1 >= end || (byteAt(p + 1) & 0xc0) != 0x80) return 0;
    return p + 2;
  }
  if (c < 0xf0) {
    if (p + 2 >= end) return 0;
    const c1 = byteAt(p + 1);
    if (c == 0xe0 ? c1 < 0xa0 || c1 > 0xbf : c == 0xed ? c1 < 0x80 || c1 > 0x9f : (c1 & 0xc0) != 0x80)
      return 0;
    if ((byteAt(p + 2) & 0xc0) != 0x80) return 0;
    return p + 3;
  }
  if (c < 0xf5) {
    if (p + 3 >= end) return 0;
    const c1 = byteAt(p + 1);
    if (c == 0xf0 ? c1 < 0x90 || c1 > 0xbf : c == 0xf4 ? c1 < 0x80 || c1 > 0x8f : (c1 & 0xc0) != 0x80)
      return 0;
    if ((byteAt(p + 2) & 0xc0) != 0x80 || (byteAt(p + 3) & 0xc0) != 0x80) return 0;
    return p + 4;
  }
  return 0;
}

function isUtf8(p: usize, end: usize): bool {
  while (p < end) {
    if (ASC_FEATURE_SIMD) {
      if (p + 16 <= end && i8x16.bitmask(v128.load(p)) == 0) {
        p += 16;
        continue;
      }
    }
    if (byteAt(p) < 0x80) {
      p += 1;
      continue;
    }
    p = utf8Character(p, end);
    if (p == 0) return false;
  }
  return true;
}

// ---- JSON (RFC 8259), as src/util/json-bytes.ts reads it. ----
// The byte at `end` is a NUL sentinel while a value is scanned (dispatch puts it there): no token
// goes on past it, so most loops need no bounds check of their own.

@inline function isWhitespace(c: i32): bool {
  return c <= SPACE && (c == SPACE || c == LF || c == CR || c == 9);
}

@inline function skipWhitespace(p: usize): usize {
  while (isWhitespace(byteAt(p))) p += 1;
  return p;
}

/**
 * Plain string content from p: the first quote, backslash or control character (the sentinel at
 * the latest); characters from U+0080 up are checked as UTF-8 on the way (0 when one is invalid).
 */
@inline function plainString(p: usize, end: usize): usize {
  if (ASC_FEATURE_SIMD) {
    const quote = i8x16.splat(<i8>QUOTE);
    const backslash = i8x16.splat(<i8>BACKSLASH);
    const space = i8x16.splat(<i8>SPACE);
    while (true) {
      const v = v128.load(p);
      // Signed, bytes from 0x80 up are below the space too: one comparison for both.
      const mask = i8x16.bitmask(
        v128.or(v128.or(i8x16.eq(v, quote), i8x16.eq(v, backslash)), i8x16.lt_s(v, space)),
      );
      if (mask == 0) {
        p += 16;
        continue;
      }
      const stop = p + <usize>ctz(mask);
      if (byteAt(stop) < 0x80) return stop;
      p = utf8Character(stop, end);
      if (p == 0) return 0;
    }
  } else {
    while (true) {
      const c = byteAt(p);
      if (c >= 0x80) {
        p = utf8Character(p, end);
        if (p == 0) return 0;
        continue;
      }
      if (c == QUOTE || c == BACKSLASH || c < SPACE) return p;
      p += 1;
    }
  }
  return 0;
}

/** The rest of a string from a stop that is not its closing quote: after the quote, or 0 when invalid. */
function escapedStringRest(p: usize, end: usize): usize {
  while (p < end) {
    const c = byteAt(p);
    if (c == QUOTE) return p + 1;
    if (c == BACKSLASH) {
      if (p + 1 >= end) return 0;
      const e = byteAt(p + 1);
      if (e == 0x75) {
        if (p + 6 > end) return 0;
        for (let k: usize = 2; k < 6; k++) if (!isHex(byteAt(p + k))) return 0;
        p += 6;
      } else if (
        e == QUOTE ||
        e == BACKSLASH ||
        e == 0x2f ||
        e == 0x62 ||
        e == 0x66 ||
        e == 0x6e ||
        e == 0x72 ||
        e == 0x74
      ) {
        p += 2;
      } else {
        return 0;
      }
    } else if (c < SPACE) {
      return 0;
    } else {
      p = plainString(p, end);
      if (p == 0) return 0;
    }
  }
  return 0;
}

@inline function isHex(c: i32): bool {
  return (c >= ZERO && c <= NINE) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

@inline function isDigit(c: i32): bool {
  return <u32>(c - ZERO) <= 9;
}

function scanNumber(p: usize): usize {
  if (byteAt(p) == MINUS) p += 1;
  if (byteAt(p) == ZERO) p += 1;
  else if (isDigit(byteAt(p))) while (isDigit(byteAt(p))) p += 1;
  else return 0;
  if (byteAt(p) == DOT) {
    p += 1;
    if (!isDigit(byteAt(p))) return 0;
    while (isDigit(byteAt(p))) p += 1;
  }
  if ((byteAt(p) | 0x20) == 0x65) {
    p += 1;
    if (byteAt(p) == PLUS || byteAt(p) == MINUS) p += 1;
    if (!isDigit(byteAt(p))) return 0;
    while (isDigit(byteAt(p))) p += 1;
  }
  return p;
}

/**
 * What [start, end) holds, with a NUL at `end`: V_OBJECT (valid UTF-8 then), V_NOT_JSON,
 * V_NOT_OBJECT (not checked further) or V_TOO_DEEP; for an object, where its top-level
 * `event_id` string is.
 */
function scanJson(start: usize, end: usize): i32 {
  let idStart: i32 = -1;
  let idEnd: i32 = -1;
  let idNeedsParse = false;
  let p = skipWhitespace(start);
  if (p >= end) return V_NOT_JSON;
  if (byteAt(p) != OPEN_OBJECT) return V_NOT_OBJECT;
  let depth = 0;
  /** The innermost open container is an object (its kind is on the stack only once it is left). */
  let inObject = true;
  let needKey = false;
  let atEventId = false;
  while (true) {
    if (needKey) {
      needKey = false;
      if (byteAt(p) != QUOTE) return V_NOT_JSON;
      const keyStart = p + 1;
      p = plainString(keyStart, end);
      if (p == 0) return V_NOT_JSON;
      if (byteAt(p) == QUOTE) {
        atEventId = depth == 1 && p - keyStart == 8 && load<u64>(keyStart) == WORD_EVENT_ID;
        p += 1;
      } else {
        p = escapedStringRest(p, end);
        if (p == 0) return V_NOT_JSON;
        // An escaped key may spell `event_id` another way: only a parse can tell.
        if (depth == 1) idNeedsParse = true;
      }
      p = skipWhitespace(p);
      if (byteAt(p) != COLON) return V_NOT_JSON;
      p = skipWhitespace(p + 1);
    }
    // A value starts at p.
    const c = byteAt(p);
    if (c == QUOTE) {
      const contentStart = p + 1;
      p = plainString(contentStart, end);
      if (p == 0) return V_NOT_JSON;
      let escaped = false;
      if (byteAt(p) == QUOTE) {
        p += 1;
      } else {
        p = escapedStringRest(p, end);
        if (p == 0) return V_NOT_JSON;
        escaped = true;
      }
      if (atEventId) {
        idStart = <i32>contentStart;
        idEnd = <i32>p - 1;
        if (escaped) idNeedsParse = true;
        atEventId = false;
      }
    } else {
      if (atEventId) {
        // A later `event_id` wins, as in JSON.parse; one that is no string is no id.
        idStart = -1;
        idEnd = -1;
        atEventId = false;
      }
      if (c == OPEN_OBJECT || c == OPEN_ARRAY) {
        p = skipWhitespace(p + 1);
        if (byteAt(p) == (c == OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY)) {
          p += 1;
        } else {
          if (depth == DEPTH_CAP) return V_TOO_DEEP;
          // The top-level object needs no entry: depth 0 is left only at the end.
          if (depth > 0) store<u8>(stack + <usize>depth, <u8>inObject);
          depth += 1;
          inObject = c == OPEN_OBJECT;
          needKey = inObject;
          continue;
        }
      } else if (c == MINUS || isDigit(c)) {
        p = scanNumber(p);
      } else if (c == 0x74) {
        p = p + 4 <= end && load<u32>(p) == WORD_TRUE ? p + 4 : 0;
      } else if (c == 0x66) {
        p = p + 5 <= end && load<u32>(p) == WORD_FALS && byteAt(p + 4) == 0x65 ? p + 5 : 0;
      } else if (c == 0x6e) {
        p = p + 4 <= end && load<u32>(p) == WORD_NULL ? p + 4 : 0;
      } else {
        return V_NOT_JSON;
      }
      if (p == 0) return V_NOT_JSON;
    }
    // After a value: close what it ends, or move on to the next member.
    while (true) {
      p = skipWhitespace(p);
      if (depth == 0) {
        if (p != end) return V_NOT_JSON;
        eventIdStart = idStart;
        eventIdEnd = idEnd;
        eventIdNeedsParse = idNeedsParse;
        return V_OBJECT;
      }
      const next = byteAt(p);
      if (next == COMMA) {
        p = skipWhitespace(p + 1);
        needKey = inObject;
        break;
      }
      if (next == (inObject ? CLOSE_OBJECT : CLOSE_ARRAY)) {
        depth -= 1;
        if (depth > 0) inObject = load<u8>(stack + <usize>depth) != 0;
        p += 1;
        continue;
      }
      return V_NOT_JSON;
    }
  }
  return V_NOT_JSON;
}
