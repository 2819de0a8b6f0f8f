/** Runs the `sotail sessions` subcommands: one API call each, printed as a record or a table. */
import type { TailSession } from '../../api/types.js';
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
import { withConnection } from '../with-connection.js';

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
  flags: { filter: string; service: string; fromCursor?: string; output?: RecordFormat },
): Promise<void> {
  try {
    requirePlainFilter(parseQuery(flags.filter), "a tail session's filter");
  } catch (error) {
    throw await toQueryUsageError(error, flags.filter);
  }
  await withConnection(context, runtime, async (connection) => {
    const identity = await ensureIdentity(connection, context.signal);
    const session = await connection.client.createSession(
      {
        tenantId: identity.tenantId,
        userUuid: identity.userUuid,
        filter: flags.filter,
        service: flags.service,
        ...(flags.fromCursor ? { lastCursor: flags.fromCursor } : {}),
      },
      context.signal,
    );
    await printSession(context, runtime, session, flags.output);
    if (context.stdout.isTTY) runtime.info(`tail it with: sotail tail --session ${session.id}`);
  });
}

export async function listSessions(
  context: CliContext,
  runtime: Runtime,
  flags: { output?: RecordFormat },
): Promise<void> {
  await withConnection(context, runtime, async (connection) => {
    const sessions = await connection.client.listSessions(context.signal);
    // To a pipe, one session per line is what `jq` and `while read` want.
    const format = flags.output ?? (context.stdout.isTTY ? 'table' : 'ndjson');
    if (format === 'table' && sessions.length === 0) {
      runtime.info('no sessions; create one with `sotail sessions create --filter QUERY`');
      return;
    }
    await writeAll(context.stdout, formatRecordList(sessions, SESSION_COLUMNS, format, runtime.palette));
  });
}

/** `show` and `close`: one call on one session, printed the same way. */
export function sessionAction(call: 'getSession' | 'closeSession') {
  return async (
    context: CliContext,
    runtime: Runtime,
    id: string,
    flags: { output?: RecordFormat },
  ): Promise<void> => {
    await withConnection(context, runtime, async (connection) => {
      const session = await connection.client[call](id, context.signal);
      await printSession(context, runtime, session, flags.output);
    });
  };
}

export const showSession = sessionAction('getSession');
export const closeSession = sessionAction('closeSession');
