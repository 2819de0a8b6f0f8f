/** Runs the `sotail sessions` subcommands: one API call each, printed as a record or a table. */
import type { TailSession } from '../../api/types.js';
import { ApiError, UsageError } from '../../errors.js';
import {
  defaultRecordFormat,
  formatRecord,
  formatRecordList,
  type RecordFormat,
} from '../../output/records.js';
import { writeAll } from '../../output/writer.js';
import { parseQuery, requirePlainFilter } from '../../soql/index.js';
import { ensureIdentity } from '../connect.js';
import type { CliContext } from '../context.js';
import { toQueryUsageError } from '../query-errors.js';
import type { Runtime } from '../runtime.js';
import { terminalWidth } from '../terminal.js';
import { withConnection } from '../with-connection.js';

/** What `sessions list`, `show` and `close` hand to their actions. */
export interface SessionOutputInput {
  output?: RecordFormat | undefined;
}

/** What `sessions create` hands to its action. */
export interface SessionCreateInput extends SessionOutputInput {
  filter: string;
  service: string;
  fromCursor?: string | undefined;
}

const SESSION_COLUMNS = [
  { key: 'id', title: 'ID' },
  { key: 'filter', title: 'FILTER' },
  { key: 'service', title: 'SERVICE' },
  { key: 'lastCursor', title: 'CURSOR' },
  { key: 'createdAt', title: 'CREATED' },
  { key: 'active', title: 'ACTIVE' },
] as const;

function printSession(context: CliContext, runtime: Runtime, session: TailSession, requested?: RecordFormat) {
  const format = defaultRecordFormat(requested, context.stdout.isTTY === true);
  return writeAll(context.stdout, formatRecord(session, format, runtime.palette));
}

export async function createSession(
  context: CliContext,
  runtime: Runtime,
  flags: SessionCreateInput,
): Promise<void> {
  try {
    requirePlainFilter(parseQuery(flags.filter), "a tail session's filter");
  } catch (error) {
    throw await toQueryUsageError(error, flags.filter);
  }
  await withConnection(context, runtime, async (connection) => {
    const identity = await ensureIdentity(connection, runtime.signal);
    const session = await connection.client
      .createSession(
        {
          tenantId: identity.tenantId,
          userUuid: identity.userUuid,
          filter: flags.filter,
          service: flags.service,
          ...(flags.fromCursor ? { lastCursor: flags.fromCursor } : {}),
        },
        runtime.signal,
      )
      .catch((error: unknown) => {
        throw explainFieldError(error, flags);
      });
    await printSession(context, runtime, session, flags.output);
    if (context.stdout.isTTY) runtime.info(`tail it with: sotail tail --session ${session.id}`);
  });
}

export async function listSessions(
  context: CliContext,
  runtime: Runtime,
  flags: SessionOutputInput,
): Promise<void> {
  await withConnection(context, runtime, async (connection) => {
    const sessions = await connection.client.listSessions(runtime.signal);
    const format = defaultRecordFormat(flags.output, context.stdout.isTTY === true);
    if (format === 'table' && sessions.length === 0) {
      runtime.info('no sessions; create one with `sotail sessions create --filter QUERY`');
      return;
    }
    await writeAll(
      context.stdout,
      formatRecordList(sessions, SESSION_COLUMNS, format, runtime.palette, terminalWidth(context.stdout)),
    );
  });
}

/** `show` and `close`: one call on one session, printed the same way. */
export function sessionAction(call: 'getSession' | 'closeSession') {
  return async (
    context: CliContext,
    runtime: Runtime,
    id: string,
    flags: SessionOutputInput,
  ): Promise<void> => {
    await withConnection(context, runtime, async (connection) => {
      const session = await connection.client[call](id, runtime.signal);
      await printSession(context, runtime, session, flags.output);
    });
  };
}

export const showSession = sessionAction('getSession');
export const closeSession = sessionAction('closeSession');

/** A 400 about a field the user gave by flag is a usage error (exit 2) that names the flag. */
function explainFieldError(error: unknown, flags: SessionCreateInput): unknown {
  if (!(error instanceof ApiError) || error.status !== 400) return error;
  if (error.extra.field === 'lastCursor') {
    return new UsageError(
      `--from-cursor ${flags.fromCursor ?? ''}: ${error.message.replace(/^lastCursor /, '')}`,
      {
        hint: 'use a cursor this service issued: the lastCursor of `sotail sessions show ID`, or the id of an event',
      },
    );
  }
  return error;
}
