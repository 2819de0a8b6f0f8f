/**
 * Runs `sotail tail` (and `query --follow`, `sessions resume`): builds the source, drives the
 * engine, writes each batch out as it arrives, shows connection states on stderr, and ends the
 * way scripts expect (exit 0 after `--count`, 124 on `--timeout`, 130 on Ctrl-C with a summary).
 */
import { InterruptedError, TimeoutReachedError } from '../../errors.js';
import { OutputWriter } from '../../output/writer.js';
import { parseQuery } from '../../soql/index.js';
import { apiTailSource } from '../../tail/api-source.js';
import { openTail, type TailOptions } from '../../tail/engine.js';
import type { TailEndReason } from '../../tail/items.js';
import type { TailSource } from '../../tail/source.js';
import { withTimeout } from '../../util/abort.js';
import type { Connection } from '../connect.js';
import type { CliContext } from '../context.js';
import { explainQueryError } from '../query-errors.js';
import type { Runtime } from '../runtime.js';
import { formatTailBatch, formatTailState, formatTailSummary, type TailLineFormat } from '../tail-lines.js';
import { withConnection } from '../with-connection.js';

export type TailTargetConfig = { kind: 'query'; q: string };

export interface TailConfig {
  target: TailTargetConfig;
  /** RFC 3339: matching history from then on first. */
  since?: string | undefined;
  count?: number | undefined;
  timeoutMs?: number | undefined;
  heartbeatTimeoutMs: number;
  maxRetries?: number | undefined;
  format: TailLineFormat;
  fields?: string[] | undefined;
  utc: boolean;
  /** On a terminal without `-o`/`--no-tui`: the full-screen view holding this many events. */
  tui?: { buffer: number; greeting?: string | undefined } | undefined;
}

export async function executeTail(context: CliContext, runtime: Runtime, config: TailConfig): Promise<void> {
  try {
    parseQuery(config.target.q);
  } catch (error) {
    throw explainQueryError(error, config.target.q);
  }
  const signal = withTimeout(context.signal, config.timeoutMs);
  const verbose = runtime.globals.verbose === true || runtime.globals.debug === true;
  const say = (line: string | undefined): void => {
    if (line !== undefined) context.stderr.write(`${line}\n`);
  };
  await withConnection(
    context,
    runtime,
    async (connection) => {
      const source = await buildSource(connection, config, signal);
      const options: TailOptions = {
        source,
        signal,
        since: config.since,
        maxEvents: config.count,
        heartbeatTimeoutMs: config.heartbeatTimeoutMs,
        maxRetries: config.maxRetries,
      };
      if (config.tui) {
        const { showTailInTui } = await import('./tail-tui.js');
        await showTailInTui(context, runtime, options, {
          query: config.target.q,
          profile: connection.profileName,
          buffer: config.tui.buffer,
          greeting: config.tui.greeting,
          utc: config.utc,
          fields: config.fields,
        });
        return;
      }
      const tail = openTail(options);
      const writer = new OutputWriter(context.stdout);
      const lines = {
        format: config.format,
        palette: runtime.palette,
        fields: config.fields,
        utc: config.utc,
      };
      let ended: TailEndReason | undefined;
      try {
        for await (const item of tail) {
          if (item.kind === 'batch') {
            writer.write(formatTailBatch(item.events, lines));
            await writer.flush();
            continue;
          }
          if (item.kind === 'ended') ended = item.reason;
          say(formatTailState(item, { palette: runtime.stderrPalette, verbose }));
        }
        await writer.end();
      } catch (error) {
        if (signal.aborted) ended = 'aborted';
        else throw error;
      }
      if (ended !== 'aborted') return;
      const reason: unknown = signal.reason;
      if (reason instanceof InterruptedError || reason instanceof TimeoutReachedError) {
        // Whatever was received is already out; the summary says how far the tail got.
        await writer.end().catch(() => undefined);
        say(formatTailSummary(tail.counters, Date.now()));
      }
      throw reason;
    },
    { signal },
  );
}

async function buildSource(
  connection: Connection,
  config: TailConfig,
  _signal: AbortSignal,
): Promise<TailSource> {
  return apiTailSource(connection.client, { kind: 'query', q: config.target.q });
}
