/**
 * `sotail mock`: runs the mock logs service (docs/api.md) until Ctrl-C / SIGTERM. The server code
 * is imported only when the command runs, so other commands never load it.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { FileError, UsageError } from '../../errors.js';
import { MAX_DURATION_MS } from '../../util/duration.js';
import type { CliContext } from '../context.js';
import { parseDurationOption } from '../options.js';
import { createRuntime } from '../runtime.js';

interface MockFlags {
  port: number;
  host: string;
  token?: string[];
  rate: number;
  history: number;
  historySpan?: number;
  seed: number;
  heartbeat: number;
  idleTimeout: number;
  maxDuration: number;
  replayWindow: number;
  pollInterval: number;
  maxTails: number;
  retain: number;
  data?: string;
  quotaEvents?: number;
  fault?: string[];
}

function parseCount(flag: string, min = 0, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${flag} takes a whole number from ${min} to ${max}, got '${value}'`);
    }
    return n;
  };
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** A failure to start, worded for the user: which flag to change. */
function startFailure(error: unknown, flags: MockFlags): unknown {
  const { code, syscall, path } = error as NodeJS.ErrnoException;
  const where = `${flags.host}:${flags.port}`;
  if (code === 'EADDRINUSE') {
    return new UsageError(`${where} is already in use`, {
      hint: 'pick another --port, or --port 0 for any free one',
    });
  }
  if (code === 'EACCES' && syscall === 'listen') {
    return new UsageError(`not allowed to listen on ${where}`, { hint: 'ports below 1024 need privileges' });
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    return new UsageError(`cannot bind ${flags.host}: not an address of this machine`);
  }
  if (path !== undefined)
    return new FileError(`cannot use data file ${path}: ${code ?? String(error)}`, { cause: error });
  return error;
}

export function mockCommand(context: CliContext): Command {
  return new Command('mock')
    .description(
      'run a local mock of the logs API (synthetic traffic, fault injection) for trying and testing sotail',
    )
    .addOption(
      new Option('--port <n>', 'port to listen on (0: any free port)')
        .argParser(parseCount('--port', 0, 65_535))
        .default(4010),
    )
    .addOption(new Option('--host <address>', 'address to bind').default('127.0.0.1'))
    .addOption(
      new Option(
        '--token <token[:scopes][:tier]>',
        'accept another token (repeatable); scopes joined by +',
      ).argParser(collect),
    )
    .addOption(
      new Option('--rate <events/s>', 'synthetic events per second')
        .argParser(parseCount('--rate'))
        .default(0),
    )
    .addOption(
      new Option('--history <n>', 'synthetic past events to start with')
        .argParser(parseCount('--history'))
        .default(0),
    )
    .addOption(
      new Option('--history-span <duration>', 'how far back --history reaches (default 6h)').argParser(
        // A span, not a timer: it may reach further back than a timer could wait.
        parseDurationOption('--history-span', MAX_DURATION_MS),
      ),
    )
    .addOption(
      new Option('--seed <n>', 'seed of the traffic and of random faults')
        .argParser(parseCount('--seed'))
        .default(1),
    )
    .addOption(
      new Option('--heartbeat <duration>', 'tail heartbeat interval')
        .argParser(parseDurationOption('--heartbeat'))
        .default(15_000, '15s'),
    )
    .addOption(
      new Option('--idle-timeout <duration>', 'end a tail after this long without a matching event')
        .argParser(parseDurationOption('--idle-timeout'))
        .default(300_000, '5m'),
    )
    .addOption(
      new Option('--max-duration <duration>', 'end a tail after this long in all')
        .argParser(parseDurationOption('--max-duration'))
        .default(1_800_000, '30m'),
    )
    .addOption(
      new Option('--replay-window <n>', 'newest events a Last-Event-ID resume can replay')
        .argParser(parseCount('--replay-window', 1))
        .default(5000),
    )
    .addOption(
      new Option('--poll-interval <duration>', 'how often tails look for new events')
        .argParser(parseDurationOption('--poll-interval'))
        .default(250, '250ms'),
    )
    .addOption(
      new Option('--max-tails <n>', 'concurrent tails per token')
        .argParser(parseCount('--max-tails', 1))
        .default(3),
    )
    .addOption(
      new Option('--retain <n>', 'events kept in memory')
        .argParser(parseCount('--retain', 1))
        .default(2_000_000),
    )
    .addOption(
      new Option(
        '--data <file>',
        'append the log to this NDJSON file and reload it at start (cursors survive restarts)',
      ),
    )
    .addOption(
      new Option(
        '--quota-events <n>',
        'answer 429 quota_exceeded (cumulative) after n events ingested',
      ).argParser(parseCount('--quota-events')),
    )
    .addOption(
      new Option(
        '--fault <spec>',
        'inject a fault (repeatable), e.g. 429@ingest:count=3 or cut:at=random',
      ).argParser(collect),
    )
    .addHelpText(
      'after',
      `
Tokens always accepted: so_test_sotail_dev (all log scopes, pro), so_test_sotail_hobby
(hobby tier), so_test_sotail_readonly (logs:read only). Durations: 250ms, 15s, 1h30m; a bare
number is seconds.
Faults: KIND[@FAMILY][:key=value,...] with KIND 429|503|500|quota and FAMILY
ingest|query|tail|sessions|auth|all, or KIND drop|cut|silence|reset for tail streams.
docs/api.md lists every fault option and the /_mock/* admin routes.

Examples:
  $ sotail mock --rate 100 --history 5000
  $ sotail mock --port 0 --token so_test_ci:logs:read+logs:write:enterprise
  $ sotail mock --data ./mock-log.ndjson --rate 20
  $ sotail mock --fault 503@ingest:rate=0.2 --fault drop:after=100,connections=all`,
    )
    .action(async (flags: MockFlags, command: Command) => {
      const runtime = createRuntime(context, command);
      const mock = await import('../../mock/index.js');
      let tokens: ReturnType<typeof mock.parseTokenSpec>[];
      let faults: ReturnType<typeof mock.parseFaultSpec>[];
      try {
        tokens = (flags.token ?? []).map(mock.parseTokenSpec);
        faults = (flags.fault ?? []).map(mock.parseFaultSpec);
      } catch (error) {
        throw new UsageError(error instanceof Error ? error.message : String(error));
      }
      const server = await mock
        .startMockServer({
          host: flags.host,
          port: flags.port,
          tokens,
          ratePerSec: flags.rate,
          history: flags.history,
          historySpanMs: flags.historySpan,
          seed: flags.seed,
          heartbeatMs: flags.heartbeat,
          idleTimeoutMs: flags.idleTimeout,
          maxDurationMs: flags.maxDuration,
          replayWindow: flags.replayWindow,
          pollIntervalMs: flags.pollInterval,
          maxTailsPerToken: flags.maxTails,
          retainEvents: flags.retain,
          dataFile: flags.data,
          quotaEvents: flags.quotaEvents,
          faults,
          log: (line) => runtime.verbose(line),
        })
        .catch((error: unknown) => {
          throw startFailure(error, flags);
        });
      // The dev token is named where a newcomer looks first; the URL stays last on the line for scripts.
      context.stdout.write(`sotail mock (token ${mock.DEV_TOKENS[0]!.token}) listening on ${server.url}\n`);
      await new Promise<void>((resolve) => {
        if (context.signal.aborted) resolve();
        else context.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      await server.close();
      runtime.verbose('mock stopped');
    });
}
