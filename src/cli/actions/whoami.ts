/** Runs `sotail whoami`: asks the service whose token this is and prints it as a record. */
import type { WhoAmI } from '../../api/types.js';
import { defaultRecordFormat, formatRecord, type RecordFormat } from '../../output/records.js';
import { writeAll } from '../../output/writer.js';
import type { CliContext } from '../context.js';
import type { Runtime } from '../runtime.js';
import { withConnection } from '../with-connection.js';

/** What `sotail whoami` hands to its action. */
export interface WhoAmIInput {
  output?: RecordFormat | undefined;
}

/** Where a whoami answer came from. */
export interface WhoAmIOrigin {
  apiUrl: string;
  profile?: string | undefined;
  /** The token as sotail redacts it everywhere (`so_test_…dev1`). */
  token?: string | undefined;
}

/**
 * The record `whoami` prints, on a terminal and to a pipe alike: the service's fields under their
 * wire names, except `token_prefix`, replaced by sotail's own redaction (`token`) so that no two
 * views of the same token ever show different characters of it. Fields sotail adds are snake_case.
 */
export function toWhoAmIRecord(whoami: WhoAmI, origin: WhoAmIOrigin): Record<string, unknown> {
  const { token_prefix: _serverPrefix, ...identity } = whoami;
  return {
    api_url: origin.apiUrl,
    profile: origin.profile ?? null,
    token: origin.token ?? null,
    ...identity,
  };
}

export async function showWhoAmI(context: CliContext, runtime: Runtime, input: WhoAmIInput): Promise<void> {
  await withConnection(context, runtime, async (connection) => {
    const whoami = await connection.client.whoami(runtime.signal);
    const record = toWhoAmIRecord(whoami, {
      apiUrl: connection.apiUrl,
      profile: connection.profileName,
      token: connection.token?.redacted(),
    });
    const format = defaultRecordFormat(input.output, context.stdout.isTTY === true);
    await writeAll(context.stdout, formatRecord(record, format, runtime.palette));
  });
}
