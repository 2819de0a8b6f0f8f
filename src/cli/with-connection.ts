/**
 * Runs one command's work with a connection that is always closed afterwards (an open keep-alive
 * socket would hold the process), reporting an abort's reason (Ctrl-C, --timeout) over the
 * network error it caused.
 */
import { abortReasonOr } from '../util/abort.js';
import { type Connection, type ConnectOptions, connect } from './connect.js';
import type { CliContext } from './context.js';
import type { Runtime } from './runtime.js';

export async function withConnection<T>(
  context: CliContext,
  runtime: Runtime,
  work: (connection: Connection) => Promise<T>,
  options: ConnectOptions & { signal?: AbortSignal } = {},
): Promise<T> {
  const { signal = runtime.signal, ...connectOptions } = options;
  const connection = await connect(context, runtime.globals, { signal, ...connectOptions });
  try {
    return await work(connection);
  } catch (error) {
    throw abortReasonOr(signal, error);
  } finally {
    await connection.client.close();
  }
}
