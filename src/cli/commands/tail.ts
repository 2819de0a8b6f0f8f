/** `sotail tail`: follow matching events live, resuming across every kind of failure. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { UsageError } from '../../errors.js';
import { DEFAULT_HEARTBEAT_TIMEOUT_MS } from '../../tail/engine.js';
import { DEFAULT_TUI_BUFFER } from '../../tui/defaults.js';
import { parseTimeSpec } from '../../util/time-spec.js';
import type { CliContext } from '../context.js';
import { parseDurationOption, parseFieldList, parsePositiveInt } from '../options.js';
import { createRuntime } from '../runtime.js';

interface TailFlags {
  since?: string;
  count?: number;
  timeout?: number;
  output?: 'ndjson' | 'pretty';
  fields?: string[];
  utc?: boolean;
  heartbeatTimeout: number;
  maxRetries?: number;
  tui: boolean;
  buffer: number;
}

export const TAIL_EXAMPLES = `
Examples:
  $ sotail tail 'severity >= error'
  $ sotail tail 'source == payments' --since 15m          # the last 15 minutes first, then live
  $ sotail tail 'severity >= warn' | jq -r .message
  $ sotail tail 'event == "deploy_done"' --count 1 --timeout 10m   # in CI: exit 0 once seen, 124 if not

A dropped connection resumes where it stopped (Last-Event-ID); a silent one is dropped after
--heartbeat-timeout and resumed; holes the server cannot replay are fetched from history.
Ctrl-C prints a summary and exits 130. Output: on a terminal a full-screen view (press ? for
its keys; --no-tui or -o pretty for lines), NDJSON to a pipe.`;

export function tailCommand(context: CliContext): Command {
  return new Command('tail')
    .description('follow matching events live; resumes after any failure without losing events')
    .argument('[query]', 'SOQL filter; empty matches everything', '')
    .option('--since <duration>', 'first show matching events since then (15m, 2h, or RFC 3339), then live')
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
      ).argParser(parseNonNegativeInt('--max-retries')),
    )
    .option('--no-tui', 'print lines on a terminal instead of the full-screen view')
    .option(
      '--buffer <n>',
      'events the full-screen view keeps (older ones are dropped)',
      parsePositiveInt('--buffer', 1_000_000),
      DEFAULT_TUI_BUFFER,
    )
    .addHelpText('after', TAIL_EXAMPLES)
    .action(async (query: string, flags: TailFlags, command: Command) => {
      const runtime = createRuntime(context, command);
      const since = flags.since === undefined ? undefined : sinceFlag(flags.since);
      const { executeTail } = await import('../actions/tail.js');
      await executeTail(context, runtime, {
        target: { kind: 'query', q: query },
        since,
        count: flags.count,
        timeoutMs: flags.timeout,
        heartbeatTimeoutMs: flags.heartbeatTimeout,
        maxRetries: flags.maxRetries,
        format: flags.output ?? (context.stdout.isTTY ? 'pretty' : 'ndjson'),
        fields: flags.fields,
        utc: flags.utc === true,
        tui:
          flags.tui && flags.output === undefined && context.stdout.isTTY === true
            ? { buffer: flags.buffer }
            : undefined,
      });
    });
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

function parseNonNegativeInt(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) {
      throw new InvalidArgumentError(`${flag} takes a whole number (0 or more), got '${value}'`);
    }
    return n;
  };
}
