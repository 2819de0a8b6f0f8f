/** `sotail tail`: follow matching events live, resuming across every kind of failure. */
import { Command, InvalidArgumentError } from 'commander';
import { UsageError } from '../../errors.js';
import { API_STREAM_LABEL, parseUrlFlag, type StreamUrl, streamLabels } from '../../tail/stream-labels.js';
import { parseHeaderFlag } from '../../tail/url-source.js';
import type { TailTargetConfig } from '../actions/tail.js';
import type { CliContext } from '../context.js';
import { type LiveFlags, tailConfig, withLiveOptions } from '../live-options.js';
import { parseSessionId, parseWholeNumber, SINCE_HELP } from '../options.js';
import { createRuntime } from '../runtime.js';

interface TailFlags extends LiveFlags {
  since?: string;
  tail?: number;
  session?: string;
  url: StreamUrl[];
  api?: boolean;
  header: Record<string, string>;
  /** `-f`: changes nothing. */
  follow?: boolean;
}

/** Most events `--tail` shows first: each is fetched twice (once to find where the N begin). */
const MAX_TAIL_EVENTS = 100_000;

export const TAIL_EXAMPLES = `
Examples:
  $ sotail tail 'severity >= error'
  $ sotail tail 'source == payments' --since 15m          # the last 15 minutes first, then live
  $ sotail tail 'severity >= error' --tail 20              # the newest 20 first, then live
  $ sotail tail 'severity >= warn' | jq -r .message
  $ sotail tail 'event == "deploy_done"' --count 1 --timeout 10m   # in CI: exit 0 once seen, 124 if not,
                                                                   # 5 if the service was out of reach
  $ sotail tail 'event == "deploy_done"' --count 1 --timeout 10m --max-retries 5   # give up on a dead service
  $ sotail tail --session ses_3f9a0c1d2e4b5a69               # resumes where the session stopped
  $ sotail tail --url "$API/api/proxy-logs/_logs/stream?level=warn,error"
  $ sotail tail 'severity >= warn AND payload.status >= 500' --url "$API/api/proxy-logs/_logs/stream"
  $ sotail tail --api --url proxy="$API/api/proxy-logs/_logs/stream" \\
      --url "$API/portal/v1/accounts/acme/audit-log/identities/stream"
                      # three streams merged, each event labelled: _stream is api, proxy or audit-log
  $ sotail tail 'severity >= warn' --template '{{ts}} {{severity | upper}} {{source}}: {{message}}'
  $ sotail tail --highlight '(?i)time(d)? ?out' --highlight 'ord_\\w+'   # matches marked, RE2

A dropped connection resumes where it stopped (Last-Event-ID); a silent one is dropped after
--heartbeat-timeout and resumed; holes the server cannot replay are fetched from history.
Ctrl-C prints a summary and exits 130. Output: on a terminal a full-screen view (press ? for
its keys; --no-tui or -o pretty for lines), NDJSON to a pipe.`;

export function tailCommand(context: CliContext): Command {
  const command = new Command('tail')
    .description('follow matching events live; resumes after any failure without losing events')
    .argument('[query]', 'SOQL filter; empty matches everything', '')
    .option('--since <time>', `first the matching events ${SINCE_HELP}, then live`)
    .option(
      '--tail <n>',
      'first the newest N matching events (of those --since), then live',
      parseWholeNumber('--tail', 0, MAX_TAIL_EVENTS),
    )
    .option(
      '--session <id>',
      'tail a server session (its filter and service), from where it last stopped',
      parseSessionId('--session'),
    )
    .option(
      '--url <url>',
      'tail another SSE log endpoint (GET; the token goes only to the API host); repeatable, to merge several streams, each labelled with its name (NAME=URL, or one made from the URL)',
      collectUrl,
      [],
    )
    .option('--api', "with --url: the API's own tail too, in the same merge (named api)")
    .option('--header <header>', "extra header for --url, 'Name: value' (repeatable)", collectHeader, {})
    // The habit of tail -f, kubectl logs -f and stern: accepted, since a tail always follows.
    .option('-f, --follow', 'accepted out of habit (tail -f): sotail tail always follows');
  return withLiveOptions(command)
    .addHelpText('after', TAIL_EXAMPLES)
    .action(async (query: string, flags: TailFlags, self: Command) => {
      const runtime = createRuntime(context, self);
      const config = await tailConfig(context, flags, tailTarget(query, flags), flags.since, flags.tail);
      const { executeTail } = await import('../actions/tail.js');
      await executeTail(context, runtime, config);
    });
}

function tailTarget(query: string, flags: TailFlags): TailTargetConfig {
  const urls = flags.url;
  if (flags.session !== undefined && urls.length > 0) {
    throw new UsageError('--session and --url tail different things: give one');
  }
  const headers = Object.keys(flags.header).length > 0;
  if (headers && urls.length === 0) throw new UsageError('--header goes with --url');
  if (query.trim() !== '' && flags.session !== undefined) {
    throw new UsageError('a session has its own filter: drop the query, or tail without --session');
  }
  if (flags.session !== undefined) return { kind: 'session', id: flags.session };
  const api = flags.api === true;
  // One unnamed stream is the plain --url tail; more, a name, or the API's own beside it: a merge.
  if (urls.length === 1 && !api && urls[0]!.label === undefined) {
    // Another stream cannot filter for us: the query is applied here, to each event as it arrives.
    return { kind: 'url', url: urls[0]!.url, headers: flags.header, filter: query };
  }
  if (urls.length > 0) {
    let labels: string[];
    try {
      labels = streamLabels(urls, api ? [API_STREAM_LABEL] : []);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    return {
      kind: 'merge',
      q: query,
      api,
      urls: urls.map(({ url }, i) => ({ label: labels[i]!, url })),
      headers: flags.header,
    };
  }
  return { kind: 'query', q: query };
}

function collectUrl(value: string, previous: StreamUrl[]): StreamUrl[] {
  try {
    return [...previous, parseUrlFlag(value)];
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

function collectHeader(value: string, previous: Record<string, string>): Record<string, string> {
  try {
    const [name, text] = parseHeaderFlag(value);
    return { ...previous, [name]: text };
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}
