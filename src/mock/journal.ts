/**
 * Writing `--data`'s file so that an event counts only once its whole line is in the file: a
 * line's `commit` (adding the event to the log, where queries and tails see it) runs after the
 * write, and its request is answered after that. A write that fails (a full disk: part of the
 * bytes, then ENOSPC) is rolled back by cutting the file at the end of the last whole line, and
 * every event of it is refused (503) and never shown: a retry stores it once.
 *
 * Lines appended in one turn of the event loop go out in one write (group commit); while a write
 * is under way the next batch gathers, so under load batches grow instead of queueing. "In the
 * file" means handed to the kernel by write(2), not fsync'ed: a crash or kill of the mock loses
 * nothing acknowledged, a power cut may lose the last moments (docs/api.md "The mock"). An fsync per
 * batch would cost a disk round trip per acknowledgement.
 */
import type { DataFile } from './data-file.js';
import { ApiProblem } from './envelope.js';

/** What waiting for a line ends with: nothing (it is written), or why it could not be written. */
export type WriteOutcome = Error | undefined;

/** How long a client told that the data file could not be written should wait before it retries. */
const RETRY_AFTER_SEC = 5;

interface Batch {
  lines: string[];
  commits: (() => void)[];
  done: Promise<WriteOutcome>;
  settle: (outcome: WriteOutcome) => void;
}

/** The answer to a request whose event could not be written: nothing of it was stored. */
export function notWritten(error: Error): ApiProblem {
  const code = (error as NodeJS.ErrnoException).code;
  return new ApiProblem(
    503,
    'unavailable',
    `the event could not be written to the data file (${code ?? error.message}); nothing was stored, retry later`,
    {},
    { 'retry-after': String(RETRY_AFTER_SEC) },
  );
}

export class DataJournal {
  readonly #file: DataFile;
  /** Says on stderr when writes start failing and when they succeed again. */
  readonly #report: (line: string) => void;
  /** The offset just after the last whole line: where the next write goes. */
  #end: number;
  /** Bytes past `#end` may be in the file (a failed write whose rollback failed too). */
  #dirty = false;
  #failing = false;
  #gathering: Batch | undefined;
  #writing: Promise<void> | undefined;

  constructor(file: DataFile, end: number, report: (line: string) => void) {
    this.#file = file;
    this.#end = end;
    this.#report = report;
  }

  /**
   * Queues a line. `commit` runs once the line, and every line queued before it, is written, in
   * order; if it cannot be written, `commit` never runs and the outcome is the error.
   */
  append(line: string, commit: () => void): Promise<WriteOutcome> {
    let batch = this.#gathering;
    if (!batch) {
      let settle!: (outcome: WriteOutcome) => void;
      const done = new Promise<WriteOutcome>((resolve) => {
        settle = resolve;
      });
      batch = { lines: [], commits: [], done, settle };
      this.#gathering = batch;
      setImmediate(() => this.#flush());
    }
    batch.lines.push(line);
    batch.commits.push(commit);
    return batch.done;
  }

  /** Resolves once every line queued so far is written or refused. */
  async idle(): Promise<void> {
    while (this.#gathering || this.#writing) {
      this.#flush();
      await (this.#gathering?.done ?? this.#writing);
    }
  }

  /** Writes what is pending, syncs the file to the disk and closes it. */
  async close(onError: (error: unknown) => void): Promise<void> {
    await this.idle();
    await this.#file.sync().catch(onError);
    await this.#file.close();
  }

  #flush(): void {
    const batch = this.#gathering;
    // One write at a time, in order; what gathers meanwhile goes out when this one is done.
    if (!batch || this.#writing) return;
    this.#gathering = undefined;
    this.#writing = this.#write(batch).finally(() => {
      this.#writing = undefined;
      this.#flush();
    });
  }

  async #write(batch: Batch): Promise<void> {
    const outcome = await this.#writeAll(Buffer.from(`${batch.lines.join('\n')}\n`));
    if (outcome === undefined) for (const commit of batch.commits) commit();
    this.#say(outcome);
    batch.settle(outcome);
  }

  async #writeAll(bytes: Buffer): Promise<WriteOutcome> {
    try {
      if (this.#dirty) await this.#cutBack();
      let written = 0;
      while (written < bytes.length) {
        this.#dirty = true;
        const count = await this.#file.write(bytes.subarray(written), this.#end + written);
        if (count <= 0) throw new Error('the file system took no bytes');
        written += count;
      }
      this.#end += bytes.length;
      this.#dirty = false;
      return undefined;
    } catch (error) {
      // Roll back: nothing half-written may stay for the next line to be glued to. If even that
      // fails, the next write tries again first, and is refused if it cannot.
      await this.#cutBack().catch(() => {});
      return error instanceof Error ? error : new Error(String(error));
    }
  }

  async #cutBack(): Promise<void> {
    await this.#file.truncate(this.#end);
    this.#dirty = false;
  }

  #say(outcome: WriteOutcome): void {
    if (outcome && !this.#failing) {
      this.#report(
        `data file: a write failed (${describe(outcome)}); its events were not stored and are answered 503 until writes succeed again`,
      );
    } else if (!outcome && this.#failing) {
      this.#report('data file: writes succeed again');
    }
    this.#failing = outcome !== undefined;
  }
}

function describe(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code ? `${code}: ${error.message.replace(/^[A-Z]+: /, '')}` : error.message;
}
