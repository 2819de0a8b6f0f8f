/**
 * Runs `sotail profile list|show|use|remove`. Profiles are printed as records through the output
 * layer (terminal-safe, `-o table|json|ndjson`); tokens only ever as sotail redacts them.
 */

import { unknownProfileHint } from '../../config/profile-name.js';
import type { NamedProfile } from '../../config/profiles.js';
import { explicitProfile } from '../../config/resolve.js';
import { UsageError } from '../../errors.js';
import {
  defaultRecordFormat,
  formatRecord,
  formatRecordList,
  type RecordFormat,
} from '../../output/records.js';
import { writeAll } from '../../output/writer.js';
import { openProfileStore } from '../connect.js';
import type { CliContext } from '../context.js';
import type { Runtime } from '../runtime.js';
import { terminalWidth } from '../terminal.js';

/** What `profile list` and `profile show` hand to their actions. */
export interface ProfileOutputInput {
  output?: RecordFormat | undefined;
}

const PROFILE_COLUMNS = [
  { key: 'mark', title: '' },
  { key: 'name', title: 'NAME' },
  { key: 'api_url', title: 'API URL' },
  { key: 'token', title: 'TOKEN' },
  { key: 'tier', title: 'TIER' },
  { key: 'scopes', title: 'SCOPES' },
] as const;

/**
 * A profile as sotail prints it. Identity fields keep the names `whoami` gives them (the API's),
 * fields sotail adds are snake_case; the token is redacted, or null once logged out.
 */
export function toProfileRecord(
  profile: NamedProfile,
  activeName: string | undefined,
): Record<string, unknown> {
  return {
    name: profile.name,
    active: profile.name === activeName,
    api_url: profile.apiUrl,
    token: profile.token?.redacted() ?? null,
    ...(profile.insecure ? { insecure: true } : {}),
    org_id: profile.orgId,
    tier: profile.tier,
    mode: profile.mode,
    scopes: profile.scopes,
    tenantId: profile.tenantId,
    userUuid: profile.userUuid,
  };
}

/** Prints every profile as a record (a table on a terminal); on a terminal with none, says how to add one. */
export async function listProfiles(
  context: CliContext,
  runtime: Runtime,
  input: ProfileOutputInput,
): Promise<void> {
  const store = await openProfileStore(context, runtime.warn);
  const active = store.activeName();
  const records = store.list().map((profile) => toProfileRecord(profile, active));
  const format = defaultRecordFormat(input.output, context.stdout.isTTY === true);
  if (format === 'table' && records.length === 0) {
    runtime.info('No profiles yet: run `sotail login --api-url URL`');
    return;
  }
  const rows =
    format === 'table'
      ? records.map((record) => ({
          ...record,
          mark: record.active ? '*' : '',
          token: record.token ?? '(logged out)',
          scopes: Array.isArray(record.scopes) ? record.scopes.join(',') : '',
        }))
      : records;
  await writeAll(
    context.stdout,
    formatRecordList(rows, PROFILE_COLUMNS, format, runtime.palette, terminalWidth(context.stdout)),
  );
}

/** Prints one profile (by name, else the one the flags, environment or active mark choose), with its config file. */
export async function showProfile(
  context: CliContext,
  runtime: Runtime,
  name: string | undefined,
  input: ProfileOutputInput,
): Promise<void> {
  const store = await openProfileStore(context, runtime.warn);
  const active = store.activeName();
  const wanted = name ?? explicitProfile(runtime.globals, context.env)?.value ?? active;
  if (wanted === undefined) {
    throw new UsageError('no active profile', {
      hint: 'run `sotail login`, or name one: `sotail profile show NAME`',
    });
  }
  const found = store.get(wanted);
  if (!found) {
    throw new UsageError(`no profile named "${wanted}"`, {
      hint: unknownProfileHint(wanted, profileNames(store)),
    });
  }
  const record = { ...toProfileRecord({ name: wanted, ...found }, active), config_file: store.path };
  const format = defaultRecordFormat(input.output, context.stdout.isTTY === true);
  await writeAll(context.stdout, formatRecord(record, format, runtime.palette));
}

/** Marks a profile active; notes when SOTAIL_PROFILE will still take precedence. */
export async function useProfile(context: CliContext, runtime: Runtime, name: string): Promise<void> {
  const store = await openProfileStore(context, runtime.warn);
  store.use(name);
  runtime.info(`Now using profile "${name}" (${store.get(name)?.apiUrl ?? '?'})`);
  const fromEnv = context.env.SOTAIL_PROFILE;
  if (fromEnv && fromEnv !== name)
    runtime.info(`Note: SOTAIL_PROFILE=${fromEnv} is set and takes precedence`);
}

/** Deletes a profile and its token; UsageError when there is none by that name. */
export async function removeProfile(context: CliContext, runtime: Runtime, name: string): Promise<void> {
  const store = await openProfileStore(context, runtime.warn);
  const wasActive = store.activeName() === name;
  if (!store.remove(name)) {
    throw new UsageError(`no profile named "${name}"`, {
      hint: unknownProfileHint(name, profileNames(store)),
    });
  }
  runtime.info(`Removed profile "${name}"`);
  if (wasActive) runtime.info('No profile is active now: choose one with `sotail profile use NAME`');
}

function profileNames(store: { list(): { name: string }[] }): string[] {
  return store.list().map((profile) => profile.name);
}
