/** `sotail tail`: follow matching events live, resuming across every kind of failure. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { UsageError } from '../../errors.js';
import { DEFAULT_CHECKPOINT_INTERVAL_MS } from '../../tail/checkpoint.js';
import { DEFAULT_HEARTBEAT_TIMEOUT_MS } from '../../tail/engine.js';
import { parseHeaderFlag } from '../../tail/url-source.js';
import { DEFAULT_TUI_BUFFER } from '../../tui/defaults.js';
import { parseTimeSpec } from '../../util/time-spec.js';
import type { TailConfig, TailTargetConfig } from '../actions/tail.js';
import type { CliContext } from '../context.js';
import { parseDurationOption, parseFieldList, parsePositiveInt, parseWholeNumber } from '../options.js';
import { createRuntime } from '../runtime.js';
import { canDrawLiveView } from '../terminal.js';

/** The options every live tail takes (`tail`, `sessions resume`, `query --follow`). */
export interface LiveFlags {
  count?: number;
  timeout?: number;
  output?: 'ndjson' | 'pretty';
  fields?: string[];
  utc?: boolean;
  heartbeatTimeout: number;
  maxRetries?: number;
  checkpointInterval: number;
  tui: boolean;
  buffer: number;
}

interface TailFlags extends LiveFlags {
  since?: string;
  session?: string;
  url?: string;
  header: Record<string, string>;
}

export const TAIL_EXAMPLES = `
Examples:
  $ sotail tail 'severity >= error'
  $ sotail tail 'source == payments' --since 15m          # the last 15 minutes first, then live
  $ sotail tail 'severity >= warn' | jq -r .message
  $ sotail tail 'event == "deploy_done"' --count 1 --timeout 10m   # in CI: exit 0 once seen, 124 if not
  $ sotail tail --session ses_3f9a0c1d2e4b5a69               # resumes where the session stopped
  $ sotail tail --url "$API/api/proxy-logs/_logs/stream?level=warn,error"

A dropped connection resumes where it stopped (Last-Event-ID); a silent one is dropped after
--heartbeat-timeout and resumed; holes the server cannot replay are fetched from history.
Ctrl-C prints a summary and exits 130. Output: on a terminal a full-screen view (press ? for
its keys; --no-tui or -o pretty for lines), NDJSON to a pipe.`;

/** Adds the live options shared by every command that tails. */
export function withLiveOptions(command: Command): Command {
  return command
    .option('-n, --count <n>', 'exit 0 after this many events', parsePositiveInt('--count'))
    .option('--timeout <duration>', 'exit 124 after this long', parseDurationOption('--timeout'))
    .addOption(
      new Option(
        '-o, --output <format>',
        'output format (default: pretty on a terminal, ndjson otherwise)',
      ).choices(['pretty', 'ndjson']),
    )
    .option(
      '--fields <list>',
      'only these fields, comma-separated (payload.x for payload paths)',
      parseFieldList,
    )
    .option('--utc', 'pretty times in UTC instead of the local zone')
    .addOption(
      new Option('--heartbeat-timeout <duration>', 'reconnect when not even a heartbeat came for this long')
        .argParser(parseDurationOption('--heartbeat-timeout'))
        .default(DEFAULT_HEARTBEAT_TIMEOUT_MS, '35s'),
    )
    .addOption(
      new Option(
        '--max-retries <n>',
        'give up after this many failed reconnects in a row (default: never)',
      ).argParser(parseWholeNumber('--max-retries', 0)),
    )
    .addOption(
      new Option(
        '--checkpoint-interval <duration>',
        'with a session: how often its position is saved (and on exit)',
      )
        .argParser(parseDurationOption('--checkpoint-interval'))
        .default(DEFAULT_CHECKPOINT_INTERVAL_MS, '5s'),
    )
    .option('--no-tui', 'print lines on a terminal instead of the full-screen view')
    .option(
      '--buffer <n>',
      'events the full-screen view keeps (older ones are dropped)',
      parsePositiveInt('--buffer', 1_000_000),
      DEFAULT_TUI_BUFFER,
    );
}

/** The engine's configuration from the live options. */
export function liveConfig(
  context: CliContext,
  flags: LiveFlags,
  target: TailTargetConfig,
  since?: string,
): TailConfig {
  return {
    target,
    since,
    count: flags.count,
    heartbeatTimeoutMs: flags.heartbeatTimeout,
    maxRetries: flags.maxRetries,
    checkpointIntervalMs: flags.checkpointInterval,
    format: flags.output ?? (context.stdout.isTTY ? 'pretty' : 'ndjson'),
    fields: flags.fields,
    utc: flags.utc === true,
    // With --count the view prints the counted events when it closes, so it must hold them all:
    // a count beyond its buffer gets lines.
    tui:
      flags.tui &&
      flags.output === undefined &&
      (flags.count === undefined || flags.count <= flags.buffer) &&
      canDrawLiveView(context.stdout, context.env)
        ? { buffer: flags.buffer }
        : undefined,
  };
}

export function tailCommand(context: CliContext): Command {
  const command = new Command('tail')
    .description('follow matching events live; resumes after any failure without losing events')
    .argument('[query]', 'SOQL filter; empty matches everything', '')
    .option('--since <duration>', 'first show matching events since then (15m, 2h, or RFC 3339), then live')
    .option('--session <id>', 'tail a server session (its filter and service), from where it last stopped')
    .option('--url <url>', 'tail another SSE log endpoint (GET); the token goes only to the API host')
    .option('--header <header>', "extra header for --url, 'Name: value' (repeatable)", collectHeader, {});
  return withLiveOptions(command)
    .addHelpText('after', TAIL_EXAMPLES)
    .action(async (query: string, flags: TailFlags, self: Command) => {
      const runtime = createRuntime(context, self);
      const target = tailTarget(query, flags);
      if (flags.since !== undefined && target.kind !== 'query') {
        throw new UsageError('--since works with a filter, not with --session or --url');
      }
      const since = flags.since === undefined ? undefined : sinceFlag(flags.since);
      const { executeTail } = await import('../actions/tail.js');
      await executeTail(context, runtime, liveConfig(context, flags, target, since));
    });
}

function tailTarget(query: string, flags: TailFlags): TailTargetConfig {
  if (flags.session !== undefined && flags.url !== undefined) {
    throw new UsageError('--session and --url tail different things: give one');
  }
  const headers = Object.keys(flags.header).length > 0;
  if (headers && flags.url === undefined) throw new UsageError('--header goes with --url');
  if (query.trim() !== '' && (flags.session !== undefined || flags.url !== undefined)) {
    throw new UsageError(
      flags.session !== undefined
        ? 'a session has its own filter: drop the query, or tail without --session'
        : 'a --url stream is filtered by its own URL parameters: drop the query',
    );
  }
  if (flags.session !== undefined) return { kind: 'session', id: flags.session };
  if (flags.url !== undefined) return { kind: 'url', url: flags.url, headers: flags.header };
  return { kind: 'query', q: query };
}

function collectHeader(value: string, previous: Record<string, string>): Record<string, string> {
  try {
    const [name, text] = parseHeaderFlag(value);
    return { ...previous, [name]: text };
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

export function sinceFlag(value: string): string {
  const time = parseTimeSpec(value, new Date());
  if (!time) {
    throw new UsageError(
      `--since takes a duration back from now (15m, 2h, 7d) or an RFC 3339 time, got '${value}'`,
    );
  }
  return time;
}
