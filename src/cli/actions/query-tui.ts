/**
 * `sotail query` on a terminal: the live view's screen over the query's result, with its keys
 * (search, refine, detail, `y`, `w`, severity), loaded a page at a time as the user scrolls,
 * newest first (or oldest first with `--order asc`), in constant memory however large the
 * result. The first page is fetched before the view opens: an empty result or an error is said
 * on the normal screen, as for lines.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InterruptedError } from '../../errors.js';
import type { Highlighter } from '../../output/highlight.js';
import { DEFAULT_TUI_BUFFER } from '../../tui/defaults.js';
import { HISTORY_PAGE_SIZE } from '../../tui/history.js';
import type { Connection } from '../connect.js';
import type { CliContext } from '../context.js';
import { historyPages } from '../history-pages.js';
import type { Runtime } from '../runtime.js';
import { guardTerminal, type Keyboard } from '../terminal.js';

/** What the view needs of the query's configuration. */
export interface QueryViewConfig {
  q: string;
  from: string | undefined;
  to: string | undefined;
  order: 'asc' | 'desc';
  fields: string[] | undefined;
  timeZone: 'utc' | 'local';
  /** The time window in the user's words (`in the last 1h`). */
  window: string;
  /** `--highlight`: matches marked in the view's lines. */
  highlight?: Highlighter | undefined;
}

/** Shows the result in the view until the user quits; resolves with whether anything matched. */
export async function showQueryInTui(
  context: CliContext,
  runtime: Runtime,
  connection: Connection,
  config: QueryViewConfig,
  keyboard: Keyboard,
): Promise<{ matched: number }> {
  try {
    const fetch = historyPages(connection.client, { q: config.q, from: config.from, to: config.to });
    const oldestFirst = config.order === 'asc';
    const firstPage = await fetch(
      { direction: oldestFirst ? 'newer' : 'older', filter: '', limit: HISTORY_PAGE_SIZE },
      runtime.signal,
    );
    if (firstPage.events.length === 0) return { matched: 0 };
    const { runTui } = await import('../../tui/run-tui.js');
    const end = await runTui({
      history: fetch,
      result: { firstPage, oldestFirst, window: config.window },
      onInterrupt: () => context.interrupt(new InterruptedError('interrupted (Ctrl-C)')),
      signal: runtime.signal,
      divertChatter: (sink) => context.chatter.divert(sink),
      guardTerminal,
      keys: keyboard.stream,
      // The view is only chosen when stdout is a terminal.
      stdout: context.stdout as NodeJS.WriteStream,
      env: context.env,
      capacity: DEFAULT_TUI_BUFFER,
      colorLevel: runtime.stdoutColor,
      utc: config.timeZone === 'utc',
      fields: config.fields,
      highlight: config.highlight,
      query: config.q,
      profile: connection.profileName,
      copyPath: join(tmpdir(), 'sotail-clipboard.json'),
    });
    if (end === 'aborted') throw runtime.signal.reason;
    return { matched: firstPage.events.length };
  } finally {
    keyboard.close();
  }
}
