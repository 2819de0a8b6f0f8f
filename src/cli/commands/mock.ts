/** `sotail mock`: the options and help of the local mock service; actions/mock.ts runs it. */
import { Command, Option } from 'commander';
import { MAX_RATE_PER_SEC } from '../../mock/options.js';
import { MAX_DURATION_MS } from '../../util/duration.js';
import type { MockFlags } from '../actions/mock.js';
import type { CliContext } from '../context.js';
import { parseDurationOption, parseWholeNumber, quietOption } from '../options.js';
import { createRuntime } from '../runtime.js';

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function mockCommand(context: CliContext): Command {
  return new Command('mock')
    .description(
      'run a local mock of the logs API (synthetic traffic, fault injection) for trying and testing sotail',
    )
    .addOption(
      new Option('--port <n>', 'port to listen on (0: any free port)')
        .argParser(parseWholeNumber('--port', 0, 65_535))
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
        .argParser(parseWholeNumber('--rate', 0, MAX_RATE_PER_SEC))
        .default(0),
    )
    .addOption(
      new Option('--history <n>', 'synthetic past events to start with')
        .argParser(parseWholeNumber('--history', 0))
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
        .argParser(parseWholeNumber('--seed', 0))
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
        .argParser(parseWholeNumber('--replay-window', 1))
        .default(5000),
    )
    .addOption(
      new Option('--poll-interval <duration>', 'how often tails look for new events')
        .argParser(parseDurationOption('--poll-interval'))
        .default(250, '250ms'),
    )
    .addOption(
      new Option('--max-tails <n>', 'concurrent tails per token')
        .argParser(parseWholeNumber('--max-tails', 1))
        .default(3),
    )
    .addOption(
      new Option('--max-sessions <n>', 'tail sessions per token')
        .argParser(parseWholeNumber('--max-sessions', 1))
        .default(100),
    )
    .addOption(
      new Option(
        '--open-admin',
        'serve /_mock/* without a token even when --host is not loopback (anyone who can connect controls the mock)',
      ),
    )
    .addOption(
      new Option('--retain <n>', 'events kept in memory (the default keeps a long demo under 300 MB)')
        .argParser(parseWholeNumber('--retain', 1))
        .default(200_000),
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
      ).argParser(parseWholeNumber('--quota-events', 0)),
    )
    .addOption(
      new Option(
        '--fault <spec>',
        'inject a fault (repeatable), e.g. 429@ingest:count=3 or cut:at=random',
      ).argParser(collect),
    )
    .addOption(quietOption())
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
      const { runMock } = await import('../actions/mock.js');
      await runMock(context, runtime, flags);
    });
}
