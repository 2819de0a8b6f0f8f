/** `sotail ingest`: one entry from arguments, or many from stdin / a file, with none lost or doubled. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { invalidKeyReason, invalidPrefixReason } from '../../ingest/idempotency.js';
import { INGEST_FORMATS } from '../../ingest/parse-entry.js';
import { normalizeSeverity, SEVERITIES, type Severity } from '../../model/event.js';
import { RECORD_FORMATS } from '../../output/formats.js';
import type { IngestFlags } from '../actions/ingest.js';
import type { CliContext } from '../context.js';
import { parsePositiveInt, recordOutputOption, timeoutOption } from '../options.js';
import { createRuntime } from '../runtime.js';

export const DEFAULT_INGEST_CONCURRENCY = 16;

function parseLevel(value: string): Severity {
  const level = normalizeSeverity(value);
  if (!level) throw new InvalidArgumentError(`--level takes one of ${SEVERITIES.join(', ')}, got '${value}'`);
  return level;
}

function parseMeta(value: string, previous: Record<string, string>): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError(`--meta takes key=value, got '${value}'`);
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
}

function parseMetaJson(value: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new InvalidArgumentError(`--meta-json takes a JSON object, got '${value}'`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InvalidArgumentError('--meta-json takes a JSON object');
  }
  return parsed as Record<string, unknown>;
}

function parseKey(value: string): string {
  const why = invalidKeyReason(value);
  if (why !== undefined) throw new InvalidArgumentError(`--idempotency-key ${why}, got '${value}'`);
  return value;
}

function parseKeyPrefix(value: string): string {
  const why = invalidPrefixReason(value);
  if (why !== undefined) throw new InvalidArgumentError(`--idempotency-key-prefix ${why}, got '${value}'`);
  return value;
}

export function ingestCommand(context: CliContext): Command {
  return (
    new Command('ingest')
      .description(
        'send log entries: one from the arguments, or many (NDJSON or text lines) from stdin or --file',
      )
      .argument('[message...]', 'the message of a single entry')
      .addOption(
        new Option('-l, --level <level>', `severity (${SEVERITIES.join(', ')})`).argParser(parseLevel),
      )
      .option('--source <name>', 'source (service) of the entry or entries')
      .option('--event <name>', 'event name')
      .option('--actor <name>', 'who did it')
      .option('--dataset <name>', 'dataset')
      .option('--ts <time>', 'when it happened (RFC 3339; default: now)')
      .option('--meta <key=value>', 'metadata, repeatable', parseMeta, {})
      .option('--meta-json <json>', 'metadata as a JSON object', parseMetaJson)
      .option('-f, --file <path>', 'read entries from this file (- for stdin)')
      .addOption(
        new Option('--format <format>', 'input lines: auto (JSON objects or text), ndjson or text')
          .choices(INGEST_FORMATS)
          .default('auto'),
      )
      .addOption(
        new Option('-c, --concurrency <n>', 'requests in flight at once')
          .argParser(parsePositiveInt('--concurrency', 256))
          .default(DEFAULT_INGEST_CONCURRENCY),
      )
      .option(
        '--dead-letter <file>',
        'where entries that could not be stored go (default: sotail-dead-letter-<time>.ndjson)',
      )
      .addOption(
        new Option(
          '--from-line <n>',
          'start at input line n, to go on after a stopped run (numbers and keys stay)',
        ).argParser(parsePositiveInt('--from-line')),
      )
      .addOption(
        new Option(
          '--idempotency-key-prefix <text>',
          'scope the keys: the same input under one prefix is stored once',
        ).argParser(parseKeyPrefix),
      )
      .addOption(
        new Option('--resend', 'store input sent in the last 24 h again (new keys)').conflicts([
          'idempotencyKeyPrefix',
          'idempotencyKey',
        ]),
      )
      .addOption(
        new Option('--idempotency-key <key>', 'the key of a single entry (a message argument)')
          .argParser(parseKey)
          .conflicts('idempotencyKeyPrefix'),
      )
      // Of a message argument's stored entry; lines from stdin or --file print only a summary.
      .addOption(recordOutputOption(RECORD_FORMATS))
      .option('-q, --quiet', 'no progress and no summary (errors still shown)')
      .addOption(timeoutOption())
      .addHelpText(
        'after',
        `
Examples:
  $ sotail ingest "disk almost full" --level warn --source api --meta host=web-1 --meta-json '{"pct":93}'
  $ kubectl logs --timestamps deploy/api | sotail ingest --source api   # text: a leading time and level word are used
  $ sotail ingest --file events.ndjson --concurrency 32              # {"level":"info","message":"…","meta":{…}}
  $ sotail ingest --file sotail-dead-letter-*.ndjson                 # retry what failed, never twice
  $ tail -f app.log | sotail ingest --source app --timeout 1h        # stop after an hour (exit 124), summary and all
  $ sotail ingest --file app.log --from-line 5001                    # go on from where a stopped run said
  $ df -h | sotail ingest --source disk --resend                     # the same lines again, stored again
  $ sotail ingest "deploy done" --idempotency-key "deploy-$CI_PIPELINE_ID"   # once, however often a job retries
  $ sotail ingest "cache warmed" -o json | jq -r .id                  # the stored entry, as JSON

Every line ends up stored, reported as invalid (with its line number), or in the dead-letter file.
Input must be UTF-8 (a line that is not is invalid); 5xx answers are retried (each entry has an Idempotency-Key).
Keys come from the input (a --file's path, the line's number, the entry), so running the same input again
within 24 h stores nothing twice: after a crash, just run it again. To store it again on purpose: --resend.
A message argument is a new entry every time, unless given --idempotency-key or --idempotency-key-prefix.
Exit status: 0 all stored · 1 dead-lettered · 65 some lines invalid · 4 quota · 3 auth · 5 service unreachable
· 74 the dead-letter file could not be written (the summary names the line to go on from with --from-line).`,
      )
      .action(async (words: string[], flags: IngestFlags, command: Command) => {
        const runtime = createRuntime(context, command);
        const { executeIngest } = await import('../actions/ingest.js');
        await executeIngest(context, runtime, words, flags);
      })
  );
}
