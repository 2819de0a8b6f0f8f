/**
 * The tail's connection as the status line shows it, folded from the engine's state items. Times
 * are passed in, so a countdown ("reconnecting in 3s") is computed when a frame is drawn.
 */
import type { TailStateItem } from '../tail/items.js';
import { countOf } from '../util/words.js';

export type ConnectionPhase =
  | { kind: 'connecting'; attempt: number }
  | { kind: 'live' }
  | { kind: 'stale'; silentMs: number }
  | { kind: 'reconnecting'; attempt: number; retryAtMs: number; reason: string; limit?: string | undefined }
  | { kind: 'backfilling' }
  | { kind: 'ended'; reason: string };

/** A line for the status area: what happened, when, and how loud it is. */
export interface StatusNotice {
  level: 'info' | 'warn';
  message: string;
  atMs: number;
}

export interface ConnectionStatus {
  phase: ConnectionPhase;
  reconnects: number;
  gapsBackfilled: number;
  /** The latest notice or warning; the status area shows it instead of writing over the screen. */
  notice?: StatusNotice | undefined;
  /** A gap or reset was announced and its backfill has not finished yet. */
  gapPending?: boolean | undefined;
  /** The phase a backfill interrupted, to return to when it is done. */
  beforeBackfill?: ConnectionPhase | undefined;
}

export function initialConnectionStatus(): ConnectionStatus {
  return { phase: { kind: 'connecting', attempt: 1 }, reconnects: 0, gapsBackfilled: 0 };
}

/** Applies one state item; returns the same object, changed in place (one per TUI, never shared). */
export function applyStateItem(
  status: ConnectionStatus,
  item: TailStateItem,
  nowMs: number,
): ConnectionStatus {
  switch (item.kind) {
    case 'connecting':
      status.phase = { kind: 'connecting', attempt: item.attempt };
      break;
    case 'live':
      status.phase = { kind: 'live' };
      break;
    case 'stale':
      status.phase = { kind: 'stale', silentMs: item.silentMs };
      break;
    case 'reconnecting': {
      status.reconnects += 1;
      // The watchdog's verdict stays visible through the wait that follows it.
      const previous = status.phase;
      const reason =
        previous.kind === 'stale'
          ? `stale: no byte for ${seconds(previous.silentMs)}s; ${item.reason}`
          : item.reason;
      status.phase = {
        kind: 'reconnecting',
        attempt: item.attempt,
        retryAtMs: nowMs + item.delayMs,
        reason,
        limit: item.limit,
      };
      break;
    }
    case 'gap':
      status.gapPending = true;
      status.notice = {
        level: 'info',
        message:
          item.reason === 'reset'
            ? 'the server reset the stream: backfilling'
            : 'gap in the stream: backfilling',
        atMs: nowMs,
      };
      break;
    case 'backfilling':
      if (status.phase.kind !== 'backfilling') status.beforeBackfill = status.phase;
      status.phase = { kind: 'backfilling' };
      break;
    case 'backfilled':
      // History is also fetched on start and for --since; only a hole's backfill counts as a gap.
      if (status.gapPending) {
        status.gapsBackfilled += 1;
        status.gapPending = false;
        status.notice = {
          level: 'info',
          message: `gap backfilled with ${countOf(item.events, 'event')}`,
          atMs: nowMs,
        };
      }
      status.phase = status.beforeBackfill ?? { kind: 'live' };
      status.beforeBackfill = undefined;
      break;
    case 'missing':
      status.gapPending = false;
      status.notice = {
        level: 'warn',
        message: `events may be missing from ${item.from ?? 'the start'} to ${item.to ?? 'now'}: ${item.detail}`,
        atMs: nowMs,
      };
      break;
    case 'notice':
      status.notice = { level: item.level, message: item.message, atMs: nowMs };
      break;
    case 'ended':
      status.phase = { kind: 'ended', reason: item.detail ? `${item.reason}: ${item.detail}` : item.reason };
      break;
  }
  return status;
}

/**
 * The phase in words, e.g. `reconnecting in 3s, attempt 2 (connection reset)`; `brief` leaves out
 * the attempt and the reason (`reconnecting in 3s`), for a narrow terminal.
 */
export function describePhase(phase: ConnectionPhase, nowMs: number, brief = false): string {
  switch (phase.kind) {
    case 'connecting':
      return phase.attempt > 1 && !brief ? `connecting, attempt ${phase.attempt}` : 'connecting';
    case 'live':
      return 'live';
    case 'stale':
      return brief ? 'stale' : `stale: no byte for ${seconds(phase.silentMs)}s`;
    case 'reconnecting': {
      const seconds = Math.max(0, Math.ceil((phase.retryAtMs - nowMs) / 1000));
      if (brief) return `reconnecting in ${seconds}s`;
      const why = phase.limit ? `${phase.reason}; ${phase.limit}` : phase.reason;
      return `reconnecting in ${seconds}s, attempt ${phase.attempt} (${why})`;
    }
    case 'backfilling':
      return 'backfilling a gap';
    case 'ended':
      return `ended (${phase.reason})`;
  }
}

function seconds(ms: number): number {
  return Math.round(ms / 1000);
}
