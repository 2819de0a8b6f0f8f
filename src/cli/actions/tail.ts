/**
 * Runs `sotail tail` (and `query --follow`, `sessions resume`): builds the source, drives the
 * engine, writes each batch out as it arrives, shows connection states on stderr, and ends the
 * way scripts expect (exit 0 after `--count`, 124 on `--timeout`, 130 on Ctrl-C with a summary).
 */
import { parseStreamUrl } from '../../api/transport-policy.js';
import {
  InterruptedError,
  type SotailError,
  TimeoutReachedError,
  TimeoutUnreachableError,
} from '../../errors.js';
import { createEventOutput, loadFormatter, type OutputChoice } from '../../output/event-output.js';
import type { Highlighter } from '../../output/highlight.js';
import { formatMergedTailSummary, formatTailState, formatTailSummary } from '../../output/tail-status.js';
import { peopleTimeFormat } from '../../output/time-format.js';
import { OutputWriter } from '../../output/writer.js';
import { compileQuery, type EventPredicate, requirePlainFilter } from '../../soql/index.js';
import { apiTailSource, sessionQuery } from '../../tail/api-source.js';
import { SessionCheckpointer } from '../../tail/checkpoint.js';
import { openTail, type TailOptions, type TailStream } from '../../tail/engine.js';
import type { LabelledTailItem, TailEndReason, TailLink, TailStateItem } from '../../tail/items.js';
import { type MergedStreamSpec, type MergedTailStream, openMergedTail } from '../../tail/merge.js';
import type { TailSource } from '../../tail/source.js';
import { RepeatedStates, repeatsNote } from '../../tail/state-repeats.js';
import { API_STREAM_LABEL } from '../../tail/stream-labels.js';
import { urlTailSource } from '../../tail/url-source.js';
import { tailFrameDecoder } from '../../wasm/wasm-decoder.js';
import { type ChatterLine, styled } from '../chatter.js';
import { type Connection, createApiClient, retryPolicyFromEnv } from '../connect.js';
import type { CliContext } from '../context.js';
import { historyPages, LIVE_OMITS } from '../history-pages.js';
import { toQueryUsageError } from '../query-errors.js';
import type { Runtime } from '../runtime.js';
import { openKeyboard, terminalWidth } from '../terminal.js';
import { preferThroughput } from '../v8-tuning.js';
import { withConnection } from '../with-connection.js';
import type { TailRun, TailTuiConfig } from './tail-tui.js';

export type TailTargetConfig =
  | { kind: 'query'; q: string }
  /** A server session: its filter and service, resumed from its `lastCursor` and checkpointed. */
  | { kind: 'session'; id: string }
  /**
   * Any SSE log endpoint, with GET and these extra headers; `filter` (SOQL, '' for none) is
   * applied here, over the common fields of the one field table, since the stream cannot apply it.
   */
  | { kind: 'url'; url: string; headers: Record<string, string>; filter: string }
  /**
   * Several streams in one tail, each event labelled with its stream's name: SSE endpoints (GET,
   * with `headers`), and with `api` the API's own tail of `q` too; `q` filters the SSE endpoints
   * here, as for a single `--url`.
   */
  | {
      kind: 'merge';
      q: string;
      api: boolean;
      urls: { label: string; url: string }[];
      headers: Record<string, string>;
    };

export interface TailConfig {
  target: TailTargetConfig;
  /** RFC 3339: matching history from then on first. */
  since?: string | undefined;
  /** `--tail N`: the newest N matching events first (of those since `since`), then live. */
  last?: number | undefined;
  count?: number | undefined;
  heartbeatTimeoutMs: number;
  maxRetries?: number | undefined;
  /** How often a session's position is saved while events flow (and always on exit). */
  checkpointIntervalMs?: number | undefined;
  /** The output mode, and its text when it takes one (`-o template=…`). */
  output: OutputChoice;
  /** `--highlight`: matches marked in lines for people and in the full-screen view. */
  highlight?: Highlighter | undefined;
  fields?: string[] | undefined;
  utc: boolean;
  /** On a terminal without `-o`/`--no-tui`: the full-screen view holding this many events. */
  tui?: { buffer: number; greeting?: string | undefined } | undefined;
}

export async function executeTail(context: CliContext, runtime: Runtime, config: TailConfig): Promise<void> {
  const { target } = config;
  const filter = await localFilter(target);
  // A --url that is no URL is a usage error naming the flag, before anything is opened.
  const merge = target.kind === 'merge' ? checkedMerge(target) : undefined;
  const streamOrigin =
    target.kind === 'url'
      ? parseStreamUrl(target.url, '--url').origin
      : merge && !merge.api
        ? parseStreamUrl(merge.urls[0]!.url, '--url').origin
        : undefined;
  // The command's --timeout is armed once, in the runtime's signal.
  const { signal } = runtime;
  const verbose = runtime.globals.verbose === true || runtime.globals.debug === true;
  const say = (line: ChatterLine | undefined): void => {
    if (line !== undefined) context.chatter.say(line);
  };
  // Made before connecting: a mode that cannot take its options fails before any request.
  // A tail meant for the view prints lines when there is no keyboard to quit the view with.
  const time = peopleTimeFormat({ terminal: context.stdout.isTTY === true, utc: config.utc, live: true });
  const formatter = await loadFormatter(config.output.format, {
    palette: runtime.palette,
    fields: config.fields,
    timeStyle: time.style,
    timeZone: time.zone,
    terminal: context.stdout.isTTY === true,
    maxWidth: terminalWidth(context.stdout),
    headers: true,
    argument: config.output.argument,
    highlight: config.highlight,
    streams: merge ? mergeLabels(merge) : undefined,
  });
  /**
   * Writes each batch as it arrives and each state on stderr (a merged tail's naming its stream),
   * and ends as scripts expect: the summary at Ctrl-C or `--timeout`, and the verdict.
   */
  const followInLines = async (
    tail: TailStream | MergedTailStream,
    checkpoints?: Awaited<ReturnType<typeof sessionCheckpoints>>,
  ): Promise<void> => {
    // Lines made from parsed events are a burst of garbage per batch (docs/performance.md, B2).
    if (config.output.format !== 'ndjson' || config.fields) preferThroughput();
    const output = createEventOutput(new OutputWriter(context.stdout), formatter);
    let ended: TailEndReason | undefined;
    // A server that fails the same way on every connection gets its lines said once a minute
    // (every one with --verbose), for each stream on its own.
    const repeats = new Map<string | undefined, RepeatedStates>();
    const repeatsOf = (stream: string | undefined): RepeatedStates => {
      let streamRepeats = repeats.get(stream);
      if (streamRepeats === undefined) {
        streamRepeats = new RepeatedStates();
        repeats.set(stream, streamRepeats);
      }
      return streamRepeats;
    };
    const sayState = (item: TailStateItem & { stream?: string | undefined }): void => {
      const line = formatTailState(item, {
        palette: runtime.stderrPalette,
        verbose,
        stream: item.stream,
        quiet: runtime.quiet,
      });
      if (line === undefined) return;
      const held = verbose ? 0 : repeatsOf(item.stream).heldBefore(item);
      if (held === undefined) return;
      say(held === 0 ? line : [...(Array.isArray(line) ? line : [line]), repeatsNote(held)]);
    };
    try {
      for await (const item of tail as AsyncIterable<LabelledTailItem>) {
        if (item.kind === 'batch') {
          await output.write(item.events);
          await output.flush();
          if (item.cursor !== undefined) checkpoints?.checkpointer.confirm(item.cursor);
          continue;
        }
        // One stream of a merge ending is that stream's news; the merge's own end is the tail's.
        if (item.kind === 'ended' && item.stream === undefined) ended = item.reason;
        sayState(item);
      }
      await output.end();
    } catch (error) {
      if (signal.aborted) ended = 'aborted';
      else {
        checkpoints?.checkpointer.stop();
        await checkpoints?.close();
        throw error;
      }
    }
    // Everything confirmed was written out: the session's position is saved before exiting.
    await checkpoints?.flush();
    if (ended !== 'aborted') return;
    const reason: unknown = signal.reason;
    if (reason instanceof InterruptedError || reason instanceof TimeoutReachedError) {
      // Whatever was received is already out; the summary says how far the tail got, and
      // whether the service was there.
      await output.end().catch(() => undefined);
      const now = Date.now();
      const summary =
        'streams' in tail
          ? formatMergedTailSummary(tail.counters, tail.streams, now, runtime.startedAtMs)
          : [formatTailSummary(tail.counters, now, { sinceMs: runtime.startedAtMs, link: tail.link })];
      // Ctrl-C says the summary as the interruption itself (exit 130): one line, not the summary
      // and then `interrupted` (caused by the reason, so that withConnection keeps it).
      if (reason instanceof InterruptedError) {
        const [total = '', ...streams] = summary;
        throw new InterruptedError(total.replace(/^sotail: /, ''), { cause: reason, details: streams });
      }
      for (const line of summary) say(line);
    }
    if (reason instanceof TimeoutReachedError) throw timeoutVerdict(reason, tail.link);
    throw reason;
  };
  await withConnection(
    context,
    runtime,
    async (connection) => {
      // What every stream's engine is given, whatever it reads.
      const engine = {
        // The testing knob that caps every backoff (connect.ts) caps the tail's too.
        maxBackoffMs: retryPolicyFromEnv(context.env).maxDelayMs,
        heartbeatTimeoutMs: config.heartbeatTimeoutMs,
        maxRetries: config.maxRetries,
        decoder: tailFrameDecoder(context.env.SOTAIL_DECODER),
      };
      /** The full-screen view over `run`, when it can be quit; false for lines instead. */
      const shownInView = async (
        run: TailRun,
        view: Pick<TailTuiConfig, 'query' | 'history' | 'onShown' | 'streams'>,
        closed?: () => Promise<void>,
      ): Promise<boolean> => {
        // The view needs keys to be quit: with no terminal to read them from, lines instead.
        const keyboard = config.tui ? openKeyboard(context.stdin) : undefined;
        if (!config.tui || !keyboard) return false;
        const { showTailInTui } = await import('./tail-tui.js');
        try {
          await showTailInTui(context, runtime, run, {
            ...view,
            profile: connection.profileName,
            buffer: config.tui.buffer,
            utc: config.utc,
            fields: config.fields,
            highlight: config.highlight,
            greeting: config.tui.greeting,
            keyboard,
          });
        } finally {
          await closed?.();
        }
        return true;
      };
      if (target.kind === 'merge') {
        const streams = mergedStreams(connection, target, config, engine, filter);
        const open = (tailSignal: AbortSignal) =>
          openMergedTail({ streams, signal: tailSignal, maxEvents: config.count });
        // No history to scroll into: the URL streams have none, and the API's own pages could
        // not be placed exactly among the other streams' events.
        const query = target.api ? target.q : target.urls.map(({ url }) => url).join(' ');
        if (
          await shownInView(
            { signal, maxEvents: config.count, open },
            { query, streams: mergeLabels(target) },
          )
        )
          return;
        await followInLines(open(signal));
        return;
      }
      const { source, resumeFrom, historyQuery } = await buildSource(connection, target, signal);
      const checkpoints =
        target.kind === 'session'
          ? await sessionCheckpoints(context, runtime, connection, target.id, config, say)
          : undefined;
      const options: TailOptions = {
        ...engine,
        source,
        signal,
        resumeFrom,
        since: config.since,
        last: config.last,
        maxEvents: config.count,
        filter,
      };
      const shown = await shownInView(
        {
          signal,
          maxEvents: config.count,
          open: (tailSignal) => openTail({ ...options, signal: tailSignal }),
        },
        {
          query:
            target.kind === 'query'
              ? target.q
              : target.kind === 'session'
                ? `session ${target.id}`
                : target.url,
          // Scrolling up past the buffer loads older matching events (a --url stream has no
          // history to load from).
          history:
            historyQuery === undefined
              ? undefined
              : historyPages(connection.client, { q: historyQuery, omit: LIVE_OMITS }),
          onShown: (cursor) => checkpoints?.checkpointer.confirm(cursor),
        },
        // What the view took in is saved as the session's position, however the view ended.
        async () => checkpoints?.flush(),
      );
      if (shown) return;
      await followInLines(openTail(options), checkpoints);
    },
    // Another stream may need no token at all (the profile's never goes there anyway), nor any
    // profile: with no API configured, the stream's own origin stands in.
    {
      signal,
      needsToken: target.kind === 'merge' ? target.api : target.kind !== 'url',
      fallbackApiUrl: streamOrigin,
    },
  );
}

type MergeTarget = Extract<TailTargetConfig, { kind: 'merge' }>;

/** A merge whose every URL is one (a usage error naming `--url` otherwise), before anything opens. */
function checkedMerge(target: MergeTarget): MergeTarget {
  for (const { url } of target.urls) parseStreamUrl(url, '--url');
  return target;
}

function mergeLabels(target: MergeTarget): string[] {
  return [...(target.api ? [API_STREAM_LABEL] : []), ...target.urls.map(({ label }) => label)];
}

/** Each stream of a merge with its engine's options: the API's own tail first, then the URLs. */
function mergedStreams(
  connection: Connection,
  target: MergeTarget,
  config: TailConfig,
  engine: Omit<MergedStreamSpec['options'], 'source'>,
  filter: EventPredicate | undefined,
): MergedStreamSpec[] {
  const { client } = connection;
  const streams: MergedStreamSpec[] = [];
  if (target.api) {
    streams.push({
      label: API_STREAM_LABEL,
      options: {
        ...engine,
        source: apiTailSource(client, { kind: 'query', q: target.q }),
        since: config.since,
        last: config.last,
      },
    });
  }
  for (const { label, url } of target.urls) {
    // The API's own tail filters itself; another stream's events are filtered here.
    streams.push({
      label,
      options: { ...engine, source: urlTailSource(client, url, target.headers), filter },
    });
  }
  return streams;
}

/**
 * Checks the tail's query before anything is sent (a mistake is exit 2 with a caret, GROUP BY
 * included), and compiles the one that sotail applies itself: to `--url` streams, alone or merged.
 * The service applies its own tail's query; an empty filter is no filter.
 */
async function localFilter(target: TailTargetConfig): Promise<EventPredicate | undefined> {
  const query =
    target.kind === 'query' || target.kind === 'merge'
      ? target.q
      : target.kind === 'url'
        ? target.filter
        : '';
  if (query.trim() === '') return undefined;
  try {
    const { parsed, matches } = compileQuery(query);
    requirePlainFilter(parsed, 'a tail');
    return target.kind === 'query' ? undefined : matches;
  } catch (error) {
    throw await toQueryUsageError(error, query);
  }
}

/**
 * What a `--timeout` means for a script: with the stream live, the event never came (124); with
 * the service out of reach, never connected or lost, that is what went wrong (5).
 */
function timeoutVerdict(reason: TimeoutReachedError, link: Readonly<TailLink>): SotailError {
  if (link.state === 'live') return reason;
  const last = link.lastFailure === undefined ? '' : `: ${link.lastFailure}`;
  const what =
    link.state === 'never-connected' ? 'without ever reaching the service' : 'with the service out of reach';
  return new TimeoutUnreachableError(`${reason.message} ${what}${last}`, {
    // The failure's own advice when it has some: "is the service up?" misleads when it answers.
    hint:
      link.lastHint ??
      'is the service up? --max-retries N gives up sooner when it cannot be reached (exit 5)',
    cause: reason,
  });
}

async function buildSource(
  connection: Connection,
  target: Exclude<TailTargetConfig, MergeTarget>,
  signal: AbortSignal,
): Promise<{ source: TailSource; resumeFrom?: string | undefined; historyQuery?: string | undefined }> {
  const { client } = connection;
  switch (target.kind) {
    case 'query':
      return { source: apiTailSource(client, { kind: 'query', q: target.q }), historyQuery: target.q };
    case 'session': {
      const session = await client.getSession(target.id, signal);
      const source = apiTailSource(client, {
        kind: 'session',
        id: session.id,
        filter: session.filter,
        service: session.service,
        lastCursor: session.lastCursor,
      });
      return {
        source,
        resumeFrom: session.lastCursor || undefined,
        historyQuery: sessionQuery(session.filter, session.service),
      };
    }
    case 'url':
      return { source: urlTailSource(client, target.url, target.headers) };
  }
}

/**
 * The session's checkpointer, on a client of its own: the run's client is aborted by Ctrl-C,
 * and the last save must still go out after it.
 */
async function sessionCheckpoints(
  context: CliContext,
  runtime: Runtime,
  connection: Connection,
  sessionId: string,
  config: TailConfig,
  say: (line: ChatterLine) => void,
): Promise<{ checkpointer: SessionCheckpointer; flush(): Promise<void>; close(): Promise<void> }> {
  const client = await createApiClient(
    { ...context, signal: new AbortController().signal },
    runtime.globals,
    {
      baseUrl: connection.apiUrl,
      token: connection.token,
      insecure: connection.insecure,
    },
  );
  const checkpointer = new SessionCheckpointer({
    client,
    sessionId,
    intervalMs: config.checkpointIntervalMs,
    onFailure: (failure) => {
      const why = failure.error instanceof Error ? failure.error.message : String(failure.error);
      say(
        styled(runtime.stderrPalette.warn, `sotail: warning: could not save the session's position (${why})`),
      );
    },
  });
  return {
    checkpointer,
    async flush() {
      const saved = await checkpointer.flush();
      if (!saved)
        say(styled(runtime.stderrPalette.warn, "sotail: warning: the session's last position was not saved"));
      await client.close();
    },
    close: () => client.close(),
  };
}
