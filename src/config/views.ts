/**
 * How profiles and identities are shown: aligned text for a terminal, one JSON object per line
 * for a pipe. Pure functions from values to text; tokens appear only redacted (`so_test_…dev1`).
 */
import type { WhoAmI } from '../api/types.js';
import type { NamedProfile, Profile } from './profiles.js';

/** A profile as `profile list`/`profile show` emit it to a pipe: the token only redacted (null when logged out). */
export interface ProfileView extends Omit<Profile, 'token'> {
  name: string;
  active: boolean;
  token: string | null;
}

export function toProfileView(profile: NamedProfile, activeName: string | undefined): ProfileView {
  const { name, apiUrl, token, ...identity } = profile;
  return { name, active: name === activeName, apiUrl, token: token?.redacted() ?? null, ...identity };
}

/** NDJSON: one profile per line. */
export function formatProfilesNdjson(views: readonly ProfileView[]): string {
  return views.map((view) => `${JSON.stringify(view)}\n`).join('');
}

/** An aligned table, the active profile marked with `*`. */
export function formatProfileTable(views: readonly ProfileView[]): string {
  const header = ['', 'NAME', 'API URL', 'TOKEN', 'TIER', 'SCOPES'];
  const rows = views.map((view) => [
    view.active ? '*' : '',
    view.name,
    view.apiUrl,
    view.token ?? '(logged out)',
    view.tier ?? '',
    view.scopes?.join(',') ?? '',
  ]);
  return formatTable([header, ...rows]);
}

/** `key: value` lines for `profile show` on a terminal. */
export function formatProfileDetails(view: ProfileView, configPath: string): string {
  return formatPairs([
    ['profile', `${view.name}${view.active ? ' (active)' : ''}`],
    ['api url', view.apiUrl],
    ['token', view.token ?? '(logged out: `sotail login --profile NAME`)'.replace('NAME', view.name)],
    ['org', view.orgId],
    ['tier', view.tier],
    ['mode', view.mode],
    ['scopes', view.scopes?.join(', ')],
    ['tenant', view.tenantId],
    ['user', view.userUuid],
    ['config file', configPath],
  ]);
}

/** What `whoami` prints to a pipe: the service's answer plus where it came from. */
export function toWhoAmIView(whoami: WhoAmI, origin: WhoAmIOrigin) {
  return { ...whoami, api_url: origin.apiUrl, profile: origin.profile ?? null };
}

/** Where a whoami answer came from; the token as this client redacts it, when known. */
export interface WhoAmIOrigin {
  apiUrl: string;
  profile?: string | undefined;
  redactedToken?: string | undefined;
}

/** `key: value` lines for `whoami` on a terminal. */
export function formatWhoAmI(whoami: WhoAmI, origin: WhoAmIOrigin): string {
  return formatPairs([
    ['api url', origin.apiUrl],
    ['profile', origin.profile ?? '(none: from the environment)'],
    ['token', origin.redactedToken ?? whoami.token_prefix],
    ['mode', whoami.mode],
    ['org', whoami.org_id],
    ['project', whoami.project_id],
    ['tier', whoami.tier],
    ['scopes', Array.isArray(whoami.scopes) ? whoami.scopes.join(', ') : undefined],
    ['tenant', whoami.tenantId],
    ['user', whoami.userUuid],
  ]);
}

function formatPairs(pairs: readonly (readonly [string, string | undefined])[]): string {
  const shown = pairs.filter(
    (pair): pair is readonly [string, string] => pair[1] !== undefined && pair[1] !== '',
  );
  const width = Math.max(...shown.map(([key]) => key.length));
  return shown.map(([key, value]) => `${`${key}:`.padEnd(width + 2)}${value}\n`).join('');
}

function formatTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    for (const [index, cell] of row.entries()) widths[index] = Math.max(widths[index] ?? 0, cell.length);
  }
  return rows
    .map((row) => `${row.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join('  ')}`.trimEnd())
    .map((line) => `${line}\n`)
    .join('');
}
