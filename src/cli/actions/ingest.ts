/** Runs `sotail ingest`: validates the flags, then sends one entry or streams many. */
import { randomUUID } from 'node:crypto';
import { open, realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { IngestEntry } from '../../api/types.js';
import { UsageError } from '../../errors.js';
import { checkWritable, createDeadLetterFile, plainReason } from '../../ingest/dead-letter.js';
import { entryKey, type InputIdentity, lineKeys, resendPrefix } from '../../ingest/idempotency.js';
import { type IngestFormat, MAX_ENTRY_BYTES } from '../../ingest/parse-entry.js';
import { type ByteSource, readLines } from '../../ingest/read-lines.js';
import { type IngestProgress, runIngest } from '../../ingest/run-ingest.js';
import { formatIngestProgress, formatIngestSummary, ingestOutcomeError } from '../../ingest/summary.js';
import type { Severity } from '../../model/event.js';
import { findTooDeep, MAX_PAYLOAD_DEPTH } from '../../model/limits.js';
import type { RecordFormat } from '../../output/formats.js';
import { defaultRecordFormat, formatRecord } from '../../output/records.js';
import { writeAll } from '../../output/writer.js';
import { parseTimeSpec } from '../../util/time-spec.js';
import type { CliContext } from '../context.js';
import type { Runtime } from '../runtime.js';
import { withConnection } from '../with-connection.js';

/** What the command hands to the action: its parsed flags. */
export interface IngestFlags {
  level?: Severity;
  source?: string;
  event?: string;
  actor?: string;
  dataset?: string;
  ts?: string;
  meta: Record<string, string>;
  metaJson?: Record<string, unknown>;
  file?: string;
  format: IngestFormat;
  concurrency: number;
  deadLetter?: string;
  fromLine?: number;
  idempotencyKeyPrefix?: string;
  idempotencyKey?: string;
  resend?: boolean;
  quiet?: boolean;
  /** `-o`: how a message argument's stored entry is printed. */
  output?: RecordFormat | undefined;
}

const PROGRESS_INTERVAL_MS = 250;

/**
 * `words` are the message arguments: none means bulk input (stdin or --file); given but blank
 * (`sotail ingest ""`, an empty `$line` in a loop) is a usage error, never a silent switch to
 * reading stdin.
 */
export async function executeIngest(
  context: CliContext,
  runtime: Runtime,
  words: string[],
  flags: IngestFlags,
): Promise<void> {
  const ts = flags.ts === undefined ? undefined : parseTimeSpec(flags.ts, new Date());
  if (flags.ts !== undefined && !ts) throw new UsageError(`--ts takes an RFC 3339 time, got '${flags.ts}'`);
  const meta = { ...flags.meta, ...flags.metaJson };
  const tooDeep = findTooDeep(meta);
  if (tooDeep !== undefined) {
    throw new UsageError(`--meta-json is nested deeper than ${MAX_PAYLOAD_DEPTH} levels (at ${tooDeep})`);
  }
  const message = words.join(' ');
  if (words.length > 0 && message.trim() === '') {
    throw new UsageError('the message is empty', {
      hint: 'give a message with text in it; to send lines from stdin or a file, give no message at all',
    });
  }
  if (message.trim() !== '') {
    if (flags.file) throw new UsageError('give either a message or --file, not both');
    if (flags.fromLine !== undefined) {
      throw new UsageError('--from-line applies to lines from stdin or --file, not to a message argument');
    }
    const entry: IngestEntry = { level: flags.level ?? 'info', message };
    if (Object.keys(meta).length > 0) entry.meta = meta;
    for (const field of ['source', 'event', 'actor', 'dataset'] as const) {
      const value = flags[field];
      if (value !== undefined) entry[field] = value;
    }
    if (ts) entry.ts = ts;
    return ingestOne(context, runtime, entry, flags);
  }
  if (!flags.file && context.stdin.isTTY) {
    throw new UsageError('nothing to ingest: give a message, --file PATH, or pipe lines on stdin', {
      hint: 'sotail ingest "hello" --level info, or: cat app.log | sotail ingest',
    });
  }
  if (ts) throw new UsageError('--ts applies to a single entry; lines carry their own "ts"');
  if (flags.output !== undefined) {
    throw new UsageError('-o prints the stored entry of a single entry (a message argument)', {
      hint: 'lines from stdin or --file print only a summary, on stderr',
    });
  }
  if (flags.idempotencyKey !== undefined) {
    throw new UsageError('--idempotency-key names the key of a single entry (a message argument)', {
      hint: 'for lines from stdin or --file, keys come from the input; scope them with --idempotency-key-prefix',
    });
  }
  return ingestMany(context, runtime, meta, flags);
}

/**
 * A message argument is a new entry each time the command runs (two runs, two events), so its key
 * is random unless the user gives one, or a prefix to derive it from the entry.
 */
function singleEntryKey(entry: IngestEntry, flags: IngestFlags): string {
  if (flags.idempotencyKey !== undefined) return flags.idempotencyKey;
  if (flags.idempotencyKeyPrefix !== undefined) return entryKey(entry, flags.idempotencyKeyPrefix);
  return randomUUID();
}

async function ingestOne(
  context: CliContext,
  runtime: Runtime,
  entry: IngestEntry,
  flags: IngestFlags,
): Promise<void> {
  await withConnection(context, runtime, async (connection) => {
    const { response, replayed } = await connection.client.ingest(entry, {
      idempotencyKey: singleEntryKey(entry, flags),
      signal: runtime.signal,
    });
    // One line per stored entry to a pipe, so repeated calls build an NDJSON log.
    const format = defaultRecordFormat(flags.output, context.stdout.isTTY === true);
    await writeAll(context.stdout, formatRecord(response, format, runtime.palette));
    if (replayed) runtime.verbose('the service had already stored this entry (idempotent replay)');
  });
}

async function ingestMany(
  context: CliContext,
  runtime: Runtime,
  meta: Record<string, unknown>,
  flags: IngestFlags,
): Promise<void> {
  const deadLetterPath =
    flags.deadLetter ?? `sotail-dead-letter-${new Date().toISOString().replace(/[:.]/g, '-')}.ndjson`;
  await checkWritable(deadLetterPath);
  const { source: input, identity } =
    flags.file && flags.file !== '-'
      ? await openInput(flags.file)
      : { source: context.stdin, identity: { kind: 'stream' } as const };
  const prefix = flags.resend ? resendPrefix() : flags.idempotencyKeyPrefix;
  runtime.verbose(
    `idempotency keys: ${prefix === undefined ? '' : `prefix ${prefix}, `}derived from ${
      identity.kind === 'file' ? `the file ${identity.realPath}` : 'the content of stdin'
    }, each line's number and entry`,
  );
  const deadLetter = createDeadLetterFile(deadLetterPath);
  const showProgress = !flags.quiet && context.stderr.isTTY === true;

  const summary = await withConnection(
    context,
    runtime,
    async (connection) => {
      const lines = readLines(input, { signal: runtime.signal, maxLineBytes: MAX_ENTRY_BYTES });
      // The core only reports how far it got; showing it (one rewritten line on a terminal) is
      // ours, and notices (retries) are printed above that line instead of into it.
      const started = Date.now();
      let latest: IngestProgress | undefined;
      let shown = '';
      const draw = (): void => {
        shown = latest ? formatIngestProgress(latest, Date.now() - started) : '';
        context.stderr.write(`\r\u001b[K${shown}`);
      };
      const ticker = showProgress ? setInterval(draw, PROGRESS_INTERVAL_MS) : undefined;
      const restoreChatter = showProgress
        ? context.chatter.divert((line) => context.stderr.write(`\r\u001b[K${line}\n${shown}`))
        : undefined;
      try {
        return await runIngest({
          client: connection.client,
          lines,
          lineOptions: {
            format: flags.format,
            defaultLevel: flags.level ?? 'info',
            defaults: {
              source: flags.source,
              dataset: flags.dataset,
              event: flags.event,
              actor: flags.actor,
            },
            defaultMeta: meta,
          },
          concurrency: flags.concurrency,
          keys: lineKeys(identity, prefix),
          fromLine: flags.fromLine,
          deadLetter,
          signal: runtime.signal,
          onProgress: showProgress
            ? (progress) => {
                latest = progress;
              }
            : undefined,
        });
      } finally {
        if (ticker) {
          clearInterval(ticker);
          restoreChatter?.();
          context.stderr.write('\r\u001b[K');
        }
        await deadLetter.close();
      }
    },
    { connections: flags.concurrency },
  );
  const summaryContext = { deadLetterPath, resendPrefix: flags.resend ? prefix : undefined };
  if (!flags.quiet) for (const line of formatIngestSummary(summary, summaryContext)) runtime.info(line);
  const failure = ingestOutcomeError(summary, !flags.quiet, summaryContext);
  if (failure !== undefined) throw failure;
}

/**
 * Opens an input file, failing in plain words (exit 2) before anything is sent when it cannot be
 * read. A regular file is identified by its full path (idempotency.ts); anything else opened by name
 * (a FIFO, `<(cmd)`, /dev/stdin) is a stream like stdin, known only by its content.
 */
async function openInput(path: string): Promise<{ source: ByteSource; identity: InputIdentity }> {
  const refuse = (why: string): never => {
    throw new UsageError(`cannot read ${path}: ${why}`);
  };
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => refuse(plainReason(error)));
  const info = await handle.stat();
  if (info.isDirectory()) {
    await handle.close();
    refuse('it is a directory, not a file');
  }
  const identity: InputIdentity = info.isFile()
    ? { kind: 'file', realPath: await realpath(path).catch(() => resolve(path)) }
    : { kind: 'stream' };
  return { source: handle.createReadStream(), identity };
}
