/**
 * One frame of the view as rows of text, exactly as many as the terminal has and each cut to its
 * width: the list (or an event in full, or the keys) above the status area. Pure: the model and
 * the time in, rows out; the screen writes them.
 *
 * Small terminals keep what matters most: the status line is never dropped, then the list keeps
 * at least a row, then the prompt or the latest notice, then the query line. In the status line
 * the connection state, whether the view follows and the rate come first; counters are dropped
 * from the end when the width runs out (docs/tail.md).
 */
import { SEVERITIES } from '../model/event.js';
import type { Palette } from '../output/palette.js';
import { sanitizeForTerminal, sanitizeMessage } from '../output/sanitize.js';
import { displayWidth } from '../output/text-width.js';
import { countOf } from '../util/words.js';
import { fitRow, highlightMatches } from './ansi-text.js';
import { type ConnectionPhase, describePhase } from './connection-status.js';
import { helpLines } from './help.js';
import type { Row } from './screen.js';
import type { StreamLanes } from './stream-lanes.js';
import type { ListRow } from './timeline.js';
import type { PromptState, TuiModel } from './view-model.js';

/** How long an informational notice stays; warnings stay until replaced. */
export const NOTICE_MS = 10_000;

/** Cells of the rate sparkline at full width; fewer when the width runs out. */
const SPARK_CELLS = 20;

export interface FrameContext {
  query: string;
  profile?: string | undefined;
  palette: Palette;
  /** The query view's time window in words (`in the last 1h`); '' for none. */
  window?: string | undefined;
}

export interface ScreenSize {
  columns: number;
  rows: number;
}

/** A status line and how much it matters when rows run out (lower matters more). */
interface StatusLine {
  row: Row;
  rank: number;
}

/** The frame: `size.rows` rows, each at most `size.columns` wide. */
export function drawFrame(model: TuiModel, size: ScreenSize, nowMs: number, context: FrameContext): Row[] {
  const columns = Math.max(1, size.columns);
  const rows = Math.max(1, size.rows);
  const status = keepStatusLines(statusLines(model, nowMs, context, columns), rows);
  const bodyRows = rows - status.length;
  model.setViewport(columns, Math.max(1, bodyRows));
  const body = bodyRows > 0 ? bodyLines(model, bodyRows, columns, context.palette) : [];
  while (body.length < bodyRows) body.push(EMPTY);
  return [...body, ...status];
}

const EMPTY: Row = { text: '', width: 0 };

/**
 * The status lines that fit, in their order on the screen: on a screen too small for all of them,
 * the list keeps up to three rows and the status lines that matter most get the rest.
 */
function keepStatusLines(lines: StatusLine[], rows: number): Row[] {
  if (lines.length + 3 <= rows) return lines.map((line) => line.row);
  const room = Math.max(1, rows - Math.min(3, rows - 1));
  if (lines.length <= room) return lines.map((line) => line.row);
  const kept = new Set([...lines].sort((a, b) => a.rank - b.rank).slice(0, room));
  return lines.filter((line) => kept.has(line)).map((line) => line.row);
}

function bodyLines(model: TuiModel, height: number, columns: number, palette: Palette): Row[] {
  const { mode } = model;
  if (mode.kind === 'detail') {
    const lines = model.detailLinesOf(mode);
    const bodyRows = Math.max(1, height - 1);
    const top = Math.min(mode.scroll, Math.max(0, lines.length - bodyRows));
    const shown = lines.slice(top, top + bodyRows);
    const title = ` event ${top + 1}–${top + shown.length} of ${countOf(lines.length, 'line')} · j/k PgUp/PgDn scroll · y copy · enter/esc close `;
    return [fitRow(palette.bold(title), columns), ...shown.map((line) => fitRow(line, columns))].slice(
      0,
      height,
    );
  }
  if (mode.kind === 'help') {
    const lines = helpLines(model.live, columns).map((line) => `${palette.key(line.keys)}${line.text}`);
    const bodyRows = Math.max(1, height - 1);
    const top = Math.min(mode.scroll, Math.max(0, lines.length - bodyRows));
    mode.scroll = top;
    const shown = lines.slice(top, top + bodyRows);
    const more =
      lines.length > bodyRows ? ` (${top + 1}–${top + shown.length} of ${lines.length}; j/k scroll)` : '';
    const title = palette.bold(`Keys${more} · any other key closes this help`);
    return [fitRow(title, columns), ...shown.map((line) => fitRow(line, columns))].slice(0, height);
  }
  return listLines(model, height, columns, palette);
}

function listLines(model: TuiModel, height: number, columns: number, palette: Palette): Row[] {
  const { rows, selected } = model.window();
  const search = model.search;
  const marking = !model.following;
  const lines = rows.map((row, index) => {
    // The gutter marks the cursor while paused; following, the newest row is the cursor.
    const cursor = marking && index === selected;
    // One column is the gutter.
    let line =
      row.kind === 'event'
        ? fitRow(model.lineOf(row.entry), columns - 1).text
        : fitRow(placeholder(row, model, palette), columns - 1).text;
    if (search && row.kind === 'event') line = highlightMatches(line, search);
    return fitRow(cursor ? palette.bold(`▶${line}`) : ` ${line}`, columns);
  });
  if (model.live && model.view.shownCount === 0 && lines.length < height) {
    const text = model.received === 0 ? 'waiting for events…' : 'no buffered event passes the filters';
    lines.push(fitRow(palette.dim(` ${text}`), columns));
  }
  return lines;
}

/** The row standing for history not loaded: what is there, and how it is reached. */
function placeholder(row: Exclude<ListRow, { kind: 'event' }>, model: TuiModel, palette: Palette): string {
  const older = row.kind === 'older';
  const { live, view } = model;
  if (older && !model.history) {
    // Nothing to load them from: say what became of them, and how to keep more.
    return palette.dim(
      `— ${count(view.leftBuffer)} earlier ${view.leftBuffer === 1 ? 'event' : 'events'} left the buffer of ${count(view.capacity)}; this stream has no history to load them from (--buffer keeps more) —`,
    );
  }
  const { edge } = row;
  switch (edge.kind) {
    case 'more':
      return palette.dim(
        older ? '↑ older events are loaded as you scroll up' : '↓ newer events are loaded as you scroll down',
      );
    case 'loading':
      return palette.dim(older ? '… loading older events' : '… loading newer events');
    case 'none':
      return palette.dim(older ? (live ? '— no older events match —' : '— the start of the result —') : '');
    case 'failed':
      return palette.warn(
        `⚠ could not load ${older ? 'older' : 'newer'} events: ${sanitizeForTerminal(edge.message)} (scroll here again to retry)`,
      );
  }
}

function statusLines(model: TuiModel, nowMs: number, context: FrameContext, columns: number): StatusLine[] {
  const prompt = model.mode.kind === 'prompt' ? model.mode.prompt : undefined;
  const lines: StatusLine[] = [
    {
      row: model.live
        ? stateLine(model, nowMs, context.palette, columns)
        : resultLine(model, context, columns),
      rank: prompt ? 1 : 0,
    },
    ...(model.streams ? [{ row: streamsLine(model.streams, nowMs, context.palette, columns), rank: 3 }] : []),
    { row: filtersLine(model, context, columns), rank: 4 },
  ];
  if (prompt) lines.push(...promptLines(prompt, context.palette, columns));
  else {
    const notice = noticeLine(model, nowMs, context.palette);
    lines.push({ row: fitRow(notice, columns), rank: notice === '' ? 5 : 3 });
  }
  return lines;
}

/**
 * `● live · following · 30/s ▄█▇ · received 1,234 · …`, fitted to the width: counters go first
 * (from the last), then the sparkline shrinks, then the state and the position are said briefly
 * (`reconnecting in 3s`, `PAUSED +3`), and only then is the state cut, so that the state, whether
 * the view follows, and the rate stay in sight on a narrow terminal.
 */
function stateLine(model: TuiModel, nowMs: number, palette: Palette, columns: number): Row {
  const { connection } = model;
  const paused = `PAUSED +${count(model.newWhilePaused)}`;
  const position = (brief: boolean): string =>
    model.following ? palette.ok('following') : palette.warn(brief ? paused : `${paused} new`);
  const rate = `${formatRate(model.rates.perSecond(nowMs))}/s`;
  const counters = [
    `received ${count(model.received)}`,
    `in buffer ${count(model.view.bufferedCount)}`,
    `shown ${count(model.view.shownCount)}`,
    ...(model.history?.events.length ? [`history ${count(model.history.events.length)}`] : []),
    `reconnects ${count(connection.reconnects)}`,
    `gaps backfilled ${count(connection.gapsBackfilled)}`,
  ];
  const { streams } = model;
  // A merged tail: how many of its streams are live (each one's state is on the line below).
  const merged =
    streams && connection.phase.kind !== 'ended' && streams.liveCount < streams.lanes.length
      ? (brief: boolean) =>
          brief
            ? `${streams.liveCount}/${streams.lanes.length} live`
            : `${streams.liveCount} of ${streams.lanes.length} streams live`
      : undefined;
  const dot = merged
    ? palette.warn('●')
    : phaseDot(streams && connection.phase.kind !== 'ended' ? { kind: 'live' } : connection.phase, palette);
  const phase = (brief: boolean): string =>
    merged?.(brief) ??
    (streams && connection.phase.kind !== 'ended'
      ? 'live'
      : // The phase and notices quote the server (reasons, codes): escaped, and cleared of secrets.
        sanitizeMessage(describePhase(connection.phase, nowMs, brief)));
  const compose = (phaseText: string, brief: boolean, sparkCells: number, counterCount: number): string => {
    const spark = sparkCells > 0 ? ` ${sparkline(model, nowMs, palette, sparkCells)}` : '';
    return [
      `${dot} ${phaseText}`,
      position(brief),
      `${rate}${spark}`,
      ...counters.slice(0, counterCount),
    ].join(' · ');
  };
  const tries: string[] = [];
  for (let kept = counters.length; kept >= 0; kept--)
    tries.push(compose(phase(false), false, SPARK_CELLS, kept));
  for (const cells of [10, 5, 0]) tries.push(compose(phase(false), false, cells, 0));
  tries.push(compose(phase(true), true, 0, 0));
  for (const line of tries) if (visibleWidth(line) <= columns) return fitRow(line, columns);
  // The state is what gives way last: cut with … to leave the rest its room.
  const room = columns - visibleWidth(compose('', true, 0, 0));
  const brief = phase(true);
  return fitRow(compose(room >= 8 ? ellipsize(brief, room) : brief, true, 0, 0), columns);
}

/**
 * A merged tail's streams, each with its state and its events: `● api live 1,204 · ● proxy
 * reconnecting in 3s, attempt 2 (…) 310`; on a narrow terminal the states are said briefly, then
 * a live stream is its dot and name alone, so that the streams that are not live keep their words.
 */
function streamsLine(streams: StreamLanes, nowMs: number, palette: Palette, columns: number): Row {
  const compose = (brief: boolean, quietLive: boolean): string =>
    streams.lanes
      .map(({ label, status, received }) => {
        const name = `${phaseDot(status.phase, palette)} ${palette.key(label)}`;
        if (quietLive && status.phase.kind === 'live') return name;
        const state = sanitizeMessage(describePhase(status.phase, nowMs, brief));
        return brief ? `${name} ${state}` : `${name} ${state} ${count(received)}`;
      })
      .join(' · ');
  const tries = [compose(false, false), compose(true, false), compose(true, true)];
  for (const line of tries) if (visibleWidth(line) <= columns) return fitRow(line, columns);
  return fitRow(tries.at(-1)!, columns);
}

/**
 * The query view's status: the result, how much of it is loaded, and whether more is. On a narrow
 * terminal the window's words go first, then the title, then the arrows are said alone: the count
 * loaded is never cut (a cut `loaded 2` of 200 would read as another number).
 */
function resultLine(model: TuiModel, context: FrameContext, columns: number): Row {
  const { palette } = context;
  const history = model.history;
  const loaded = history?.events.length ?? 0;
  const older = history?.older.kind === 'more';
  const newer = history?.newer.kind === 'more';
  const more = [older ? 'older on ↑' : undefined, newer ? 'newer on ↓' : undefined].filter(
    (part) => part !== undefined,
  );
  const arrows = `${older ? '↑' : ''}${newer ? '↓' : ''}`;
  const loading = history?.older.kind === 'loading' || history?.newer.kind === 'loading';
  const dot = palette.key('◆');
  const window = context.window ? ` ${sanitizeForTerminal(context.window)}` : '';
  const compose = (title: string, moreText: string): string =>
    `${dot} ${[
      ...(title ? [title] : []),
      `loaded ${count(loaded)}${loading ? ' · loading…' : ''}`,
      ...(moreText ? [moreText] : []),
    ].join(' · ')}`;
  const tries = [
    compose(`query result${window}`, more.join(', ')),
    compose('query result', more.join(', ')),
    compose('', more.join(', ')),
    compose('', arrows),
  ];
  for (const line of tries) if (visibleWidth(line) <= columns) return fitRow(line, columns);
  return fitRow(tries.at(-1)!, columns);
}

function filtersLine(model: TuiModel, context: FrameContext, columns: number): Row {
  const { query, profile, palette } = context;
  const filters = [
    `query ${query ? sanitizeForTerminal(query) : '(all events)'}`,
    profile ? `profile ${sanitizeForTerminal(profile)}` : undefined,
    model.minRank > 0 ? `min ${SEVERITIES[model.minRank]}` : undefined,
    model.refineText ? `refine ${sanitizeForTerminal(model.refineText)}` : undefined,
    model.search ? `search "${sanitizeForTerminal(model.search)}"` : undefined,
    '? keys',
  ].filter((part) => part !== undefined);
  return fitRow(palette.dim(filters.join(' · ')), columns);
}

const PROMPT_LABELS: Readonly<Record<PromptState['kind'], string>> = {
  search: 'search: ',
  refine: 'refine (SOQL filter, empty clears): ',
  write: 'write shown events to: ',
};

function promptLines(prompt: PromptState, palette: Palette, columns: number): StatusLine[] {
  const label = PROMPT_LABELS[prompt.kind];
  const typed = `${sanitizeForTerminal(prompt.text)}█`;
  // The end of what is typed stays in sight: a long query scrolls left.
  const room = Math.max(1, columns - displayWidth(label));
  const shown = displayWidth(typed) > room ? `…${keepEnd(typed, room - 1)}` : typed;
  const lines: StatusLine[] = [{ row: fitRow(`${palette.bold(label)}${shown}`, columns), rank: 0 }];
  const caret = prompt.error?.caret?.split('\n');
  caret?.forEach((line, index) => {
    // Indented by the label, so that the ^ sits under the query as typed above.
    const text = `${' '.repeat(label.length)}${index === 1 ? palette.error(line) : line}`;
    lines.push({ row: fitRow(text, columns), rank: 2 });
  });
  if (prompt.error) {
    lines.push({ row: fitRow(palette.error(sanitizeForTerminal(prompt.error.message)), columns), rank: 2 });
  }
  return lines;
}

function noticeLine(model: TuiModel, nowMs: number, palette: Palette): string {
  const notice = model.connection.notice;
  if (!notice || (notice.level === 'info' && nowMs - notice.atMs > NOTICE_MS)) return '';
  const text = sanitizeMessage(notice.message);
  return notice.level === 'warn' ? palette.warn(`⚠ ${text}`) : palette.dim(text);
}

function phaseDot(phase: ConnectionPhase, palette: Palette): string {
  switch (phase.kind) {
    case 'live':
      return palette.ok('●');
    case 'ended':
      return palette.error('■');
    case 'connecting':
    case 'backfilling':
      return palette.key('◌');
    default:
      return palette.warn('●');
  }
}

function sparkline(model: TuiModel, nowMs: number, palette: Palette, cells: number): string {
  return model.rates
    .sparkline(nowMs, cells)
    .map((cell) =>
      cell.worstRank >= 0 ? palette.severity(SEVERITIES[cell.worstRank])(cell.glyph) : cell.glyph,
    )
    .join('');
}

function visibleWidth(line: string): number {
  return displayWidth(line.replace(/\x1b\[[0-9;]*m/g, ''));
}

function ellipsize(text: string, columns: number): string {
  return displayWidth(text) <= columns ? text : `${fitRow(text, columns - 1).text.replace(/\x1b\[0m$/, '')}…`;
}

/** The last `columns` columns of plain text. */
function keepEnd(text: string, columns: number): string {
  const chars = Array.from(text);
  let width = 0;
  let start = chars.length;
  while (start > 0) {
    const next = displayWidth(chars[start - 1]!);
    if (width + next > columns) break;
    width += next;
    start -= 1;
  }
  return chars.slice(start).join('');
}

function formatRate(perSecond: number): string {
  return perSecond >= 100 ? count(Math.round(perSecond)) : perSecond.toFixed(perSecond >= 10 ? 0 : 1);
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}
