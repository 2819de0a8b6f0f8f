/**
 * The status area under the list: connection state, rates and counters, the query and filters,
 * and one line for the prompt or the latest notice (notices never write over the screen).
 */
import { Box, Text } from 'ink';
import { SEVERITIES } from '../../model/event.js';
import type { Palette } from '../../output/palette.js';
import { sanitizeForTerminal } from '../../output/sanitize.js';
import { type ConnectionPhase, describePhase } from '../connection-status.js';
import type { PromptState, TuiModel } from '../view-model.js';

/** How long an informational notice stays; warnings stay until replaced. */
export const NOTICE_MS = 10_000;

const SPARK_CELLS = 20;

export interface StatusContext {
  query: string;
  profile?: string | undefined;
  palette: Palette;
}

export interface StatusBarProps extends StatusContext {
  model: TuiModel;
  nowMs: number;
}

/** Rows the status area takes for this model state (the list gets the rest). */
export function statusHeight(model: TuiModel): number {
  const prompt = model.mode.kind === 'prompt' ? model.mode.prompt : undefined;
  if (!prompt?.error) return 3;
  return 3 + (prompt.error.caret ? 3 : 1);
}

export function StatusBar({ model, nowMs, query, profile, palette }: StatusBarProps) {
  const { connection } = model;
  const counters = [
    `${formatRate(model.rates.perSecond(nowMs))}/s ${sparkline(model, nowMs, palette)}`,
    `shown ${count(model.view.shownCount)}`,
    `dropped ${count(model.view.dropped)}`,
    `reconnects ${count(connection.reconnects)}`,
    `gaps backfilled ${count(connection.gapsBackfilled)}`,
    `received ${count(model.received)}`,
  ];
  const position = model.following
    ? palette.ok('following')
    : palette.warn(`PAUSED +${count(model.newWhilePaused)} new`);
  const filters = [
    `query ${query ? sanitizeForTerminal(query) : '(all events)'}`,
    profile ? `profile ${sanitizeForTerminal(profile)}` : undefined,
    model.minRank > 0 ? `min ${SEVERITIES[model.minRank]}` : undefined,
    model.refineText ? `refine ${sanitizeForTerminal(model.refineText)}` : undefined,
    model.search ? `search "${sanitizeForTerminal(model.search)}"` : undefined,
    '? keys',
  ].filter((part) => part !== undefined);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        {`${phaseDot(connection.phase, palette)} ${describePhase(connection.phase, nowMs)} · ${position} · ${counters.join(' · ')}`}
      </Text>
      <Text wrap="truncate-end">{palette.dim(filters.join(' · '))}</Text>
      {model.mode.kind === 'prompt' ? (
        <PromptLines prompt={model.mode.prompt} palette={palette} />
      ) : (
        <Text wrap="truncate-end">{noticeLine(model, nowMs, palette)}</Text>
      )}
    </Box>
  );
}

const PROMPT_LABELS: Readonly<Record<PromptState['kind'], string>> = {
  search: 'search: ',
  refine: 'refine (SOQL filter, empty clears): ',
  write: 'write shown events to: ',
};

function PromptLines({ prompt, palette }: { prompt: PromptState; palette: Palette }) {
  const label = PROMPT_LABELS[prompt.kind];
  const caret = prompt.error?.caret?.split('\n');
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-start">{`${palette.bold(label)}${sanitizeForTerminal(prompt.text)}█`}</Text>
      {caret?.map((line, index) => (
        // The caret lines are indented by the label so the ^ sits under the query as typed above.
        // biome-ignore lint/suspicious/noArrayIndexKey: two fixed lines
        <Text key={index} wrap="truncate-end">
          {`${' '.repeat(label.length)}${index === 1 ? palette.error(line) : line}`}
        </Text>
      ))}
      {prompt.error ? (
        <Text wrap="truncate-end">{palette.error(sanitizeForTerminal(prompt.error.message))}</Text>
      ) : null}
    </Box>
  );
}

function noticeLine(model: TuiModel, nowMs: number, palette: Palette): string {
  const notice = model.connection.notice;
  if (!notice || (notice.level === 'info' && nowMs - notice.atMs > NOTICE_MS)) return '';
  const text = sanitizeForTerminal(notice.message);
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

function sparkline(model: TuiModel, nowMs: number, palette: Palette): string {
  return model.rates
    .sparkline(nowMs, SPARK_CELLS)
    .map((cell) =>
      cell.worstRank >= 0 ? palette.severity(SEVERITIES[cell.worstRank])(cell.glyph) : cell.glyph,
    )
    .join('');
}

function formatRate(perSecond: number): string {
  return perSecond >= 100 ? count(Math.round(perSecond)) : perSecond.toFixed(perSecond >= 10 ? 0 : 1);
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}
