/**
 * The demo: an in-process mock with synthetic traffic, then the same query/stats code the
 * commands use, pointed at it through the environment (as CI would), so the tour shows real output.
 * On a terminal it ends in the live view (`sotail tail`) of the mock's traffic.
 */
import { InterruptedError } from '../../errors.js';
import { DEV_TOKENS, startMockServer } from '../../mock/index.js';
import type { CliContext } from '../context.js';
import { LIVE_DEFAULTS, tailConfig } from '../live-options.js';
import type { Runtime } from '../runtime.js';
import { canDrawLiveView } from '../terminal.js';
import { executeQuery } from './query.js';
import { showStats } from './stats.js';
import { executeTail } from './tail.js';

/** What the command hands to the action: its parsed flags. */
export interface DemoFlags {
  rate: number;
  history: number;
  once?: boolean;
}

export async function runDemo(context: CliContext, runtime: Runtime, flags: DemoFlags): Promise<void> {
  const token = DEV_TOKENS[0]!.token;
  const server = await startMockServer({
    port: 0,
    ratePerSec: flags.rate,
    history: flags.history,
    seed: Date.now() % 1_000_000,
  });
  const demoContext: CliContext = {
    ...context,
    env: { ...context.env, SOTAIL_API_URL: server.url, SOTAIL_TOKEN: token, SOTAIL_PROFILE: undefined },
  };
  const heading = (text: string): void => {
    runtime.info('');
    runtime.info(`▸ ${text}`, 'bold');
  };
  const output = { format: context.stdout.isTTY ? 'pretty' : 'ndjson' } as const;
  try {
    runtime.info(
      `sotail demo: a local logs service runs at ${server.url} with ${flags.rate} synthetic events/s ` +
        `and ${flags.history.toLocaleString('en-US')} past events.`,
    );
    const tour = [
      {
        title: "sotail query 'severity >= error' --since 1h --limit 10",
        q: 'severity >= error',
        sinceMs: 3_600_000,
        window: 'in the last 1h',
        limit: 10,
      },
      {
        title: "sotail query 'severity >= warn GROUP BY source' --since 6h",
        q: 'severity >= warn GROUP BY source',
        sinceMs: 6 * 3_600_000,
        window: 'in the last 6h',
        limit: 100,
      },
    ];
    for (const step of tour) {
      heading(step.title);
      await executeQuery(demoContext, runtime, {
        q: step.q,
        from: new Date(Date.now() - step.sinceMs).toISOString(),
        to: undefined,
        order: 'desc',
        limit: step.limit,
        defaultLimit: false,
        output,
        fields: undefined,
        timeZone: context.stdout.isTTY ? 'local' : 'utc',
        headers: true,
        window: step.window,
        failOnEmpty: false,
      });
    }
    heading('sotail stats');
    await showStats(demoContext, runtime, {
      format: undefined,
      since: undefined,
      headers: true,
    });
    if (flags.once) return;
    // On a terminal the live view comes next; this stays on the screen underneath it.
    const live = canDrawLiveView(context.stdout, context.env);
    runtime.info([
      '',
      'The service keeps running with live traffic. In another terminal, in this checkout:',
      `  export SOTAIL_API_URL=${server.url} SOTAIL_TOKEN=${token}`,
      "  npx sotail query 'source == payments' --since 5m",
      "  npx sotail tail 'severity >= warn'",
      '  npx sotail ingest "hello from the demo" --level notice',
      '(`npm link` once puts `sotail` on your PATH, so `npx` can be left out.)',
      live ? 'The live view of all its traffic follows: q or Ctrl-C stops.' : 'Press Ctrl-C to stop.',
    ]);
    if (!live) return await waitForAbort(context.signal);
    const config = await tailConfig(context, LIVE_DEFAULTS, { kind: 'query', q: '' });
    const greeting =
      'demo: every event of the local service · ? keys · f refine · / search · space pause · q quit';
    try {
      await executeTail(demoContext, runtime, { ...config, tui: config.tui && { ...config.tui, greeting } });
    } catch (error) {
      // Ctrl-C's one line is the tail's summary: said here, since the demo ends without an error.
      if (error instanceof InterruptedError) context.chatter.say(`sotail: ${error.message}`);
      throw error;
    }
  } catch (error) {
    // Ctrl-C is how the demo is meant to end: not a failure.
    if (!(error instanceof InterruptedError)) throw error;
  } finally {
    await server.close();
  }
}

function waitForAbort(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
