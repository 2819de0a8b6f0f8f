/** Runs `sotail ingest`: validates the flags, then sends one entry or streams many. */
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { IngestEntry } from '../../api/types.js';
import { UsageError } from '../../errors.js';
import { createDeadLetterFile } from '../../ingest/dead-letter.js';
import type { IngestFormat } from '../../ingest/parse-entry.js';
import { runIngest } from '../../ingest/run-ingest.js';
import { formatIngestProgress, formatIngestSummary, ingestOutcomeError } from '../../ingest/summary.js';
import type { Severity } from '../../model/event.js';
import { formatRecord } from '../../output/records.js';
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
  quiet?: boolean;
}

const PROGRESS_INTERVAL_MS = 250;

export async function executeIngest(
  context: CliContext,
  runtime: Runtime,
  message: string,
  flags: IngestFlags,
): Promise<void> {
  const ts = flags.ts === undefined ? undefined : parseTimeSpec(flags.ts, new Date());
  if (flags.ts !== undefined && !ts) throw new UsageError(`--ts takes an RFC 3339 time, got '${flags.ts}'`);
  const meta = { ...flags.meta, ...flags.metaJson };
  if (message.trim() !== '') {
    if (flags.file) throw new UsageError('give either a message or --file, not both');
    const entry: IngestEntry = { level: flags.level ?? 'info', message };
    if (Object.keys(meta).length > 0) entry.meta = meta;
    for (const field of ['source', 'event', 'actor', 'dataset'] as const) {
      const value = flags[field];
      if (value !== undefined) entry[field] = value;
    }
    if (ts) entry.ts = ts;
    return ingestOne(context, runtime, entry);
  }
  if (!flags.file && context.stdin.isTTY) {
    throw new UsageError('nothing to ingest: give a message, --file PATH, or pipe lines on stdin', {
      hint: 'sotail ingest "hello" --level info, or: cat app.log | sotail ingest',
    });
  }
  if (ts) throw new UsageError('--ts applies to a single entry; lines carry their own "ts"');
  return ingestMany(context, runtime, meta, flags);
}

async function ingestOne(context: CliContext, runtime: Runtime, entry: IngestEntry): Promise<void> {
  await withConnection(context, runtime, async (connection) => {
    const { response, replayed } = await connection.client.ingest(entry, {
      idempotencyKey: randomUUID(),
      signal: context.signal,
    });
    // One line per stored entry to a pipe, so repeated calls build an NDJSON log.
    const format = context.stdout.isTTY ? 'table' : 'ndjson';
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
  const input = flags.file && flags.file !== '-' ? await openInput(flags.file) : context.stdin;
  const deadLetterPath =
    flags.deadLetter ?? `sotail-dead-letter-${new Date().toISOString().replace(/[:.]/g, '-')}.ndjson`;
  const deadLetter = createDeadLetterFile(deadLetterPath);
  const showProgress = !flags.quiet && context.stderr.isTTY === true;
  const started = Date.now();
  let latest = '';
  const ticker = showProgress
    ? setInterval(() => context.stderr.write(`\r\u001b[K${latest}`), PROGRESS_INTERVAL_MS)
    : undefined;

  const summary = await withConnection(
    context,
    runtime,
    async (connection) => {
      const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY, signal: context.signal });
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
          deadLetter,
          signal: context.signal,
          onProgress: showProgress
            ? (progress) => {
                latest = formatIngestProgress(progress, Date.now() - started);
              }
            : undefined,
        });
      } finally {
        lines.close();
        if (ticker) {
          clearInterval(ticker);
          context.stderr.write('\r\u001b[K');
        }
        await deadLetter.close();
      }
    },
    { connections: flags.concurrency },
  );
  if (!flags.quiet) for (const line of formatIngestSummary(summary, deadLetterPath)) runtime.info(line);
  const failure = ingestOutcomeError(summary);
  if (failure !== undefined) throw failure;
}

/** Opens an input file, failing before anything is sent when it cannot be read. */
function openInput(path: string): Promise<NodeJS.ReadableStream> {
  const stream = createReadStream(path);
  return new Promise((resolve, reject) => {
    stream.once('open', () => resolve(stream));
    stream.once('error', (error: NodeJS.ErrnoException) =>
      reject(new UsageError(`cannot read ${path}: ${error.code ?? error.message}`)),
    );
  });
}
