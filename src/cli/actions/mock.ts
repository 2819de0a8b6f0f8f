/**
 * Runs `sotail mock`: starts the mock logs service (docs/api.md) and keeps it up until Ctrl-C or
 * SIGTERM. The server code is imported only here, so other commands never load it.
 */
import { FileError, UsageError } from '../../errors.js';
import type { CliContext } from '../context.js';
import type { Runtime } from '../runtime.js';

/** What `sotail mock` hands to its action: its parsed flags. */
export interface MockFlags {
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
  maxSessions: number;
  openAdmin?: boolean;
  retain: number;
  data?: string;
  quotaEvents?: number;
  fault?: string[];
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

export async function runMock(context: CliContext, runtime: Runtime, flags: MockFlags): Promise<void> {
  if (flags.history > flags.retain) {
    // Events beyond what is kept would be made only to be dropped: a big enough number froze
    // the start-up for as long as it took to make them all.
    throw new UsageError(
      `--history ${flags.history} is more than the ${flags.retain} events the mock keeps in memory`,
      { hint: 'lower --history, or raise --retain' },
    );
  }
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
      maxSessionsPerToken: flags.maxSessions,
      openAdmin: flags.openAdmin === true,
      retainEvents: flags.retain,
      dataFile: flags.data,
      quotaEvents: flags.quotaEvents,
      faults,
      log: (line) => runtime.verbose(line),
      warn: (line) => runtime.warn(line),
    })
    .catch((error: unknown) => {
      throw startFailure(error, flags);
    });
  context.stdout.write(`sotail mock listening on ${server.url}\n`);
  const devToken = mock.DEV_TOKENS[0]?.token;
  runtime.info(
    `dev token: ${devToken} (all log scopes); log in with: echo ${devToken} | sotail login --api-url ${server.url} --token-stdin`,
  );
  await new Promise<void>((resolve) => {
    if (context.signal.aborted) resolve();
    else context.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.close();
  runtime.verbose('mock stopped');
}
