/**
 * `--token` for `sotail mock`: `TOKEN[:SCOPES][:TIER]`, where SCOPES are joined by `+` or `,` and
 * TIER is hobby, pro or enterprise. Scopes contain a colon themselves, so the tier is recognised by
 * name at the end. `so_test_ci` (all log scopes, pro), `so_test_ci:logs:read`,
 * `so_test_ci:logs:read+logs:write:hobby`, `so_test_ci:hobby`.
 */
import { isWellFormedToken } from './auth.js';
import { LOG_SCOPES, type MockToken, TIERS, type Tier } from './options.js';

const SCOPE_PATTERN = /^[a-z]+:[a-z]+$/;

export class TokenSpecError extends Error {}

export function parseTokenSpec(text: string): MockToken {
  const colon = text.indexOf(':');
  const token = colon < 0 ? text : text.slice(0, colon);
  if (!isWellFormedToken(token)) {
    throw new TokenSpecError(
      `--token ${token}: a token looks like so_test_… or so_live_… (letters, digits, _ and -)`,
    );
  }
  let rest = colon < 0 ? '' : text.slice(colon + 1);
  let tier: Tier = 'pro';
  const lastColon = rest.lastIndexOf(':');
  const tail = lastColon < 0 ? rest : rest.slice(lastColon + 1);
  if ((TIERS as readonly string[]).includes(tail)) {
    tier = tail as Tier;
    rest = lastColon < 0 ? '' : rest.slice(0, lastColon);
  }
  const scopes = rest === '' ? [...LOG_SCOPES] : rest.split(/[+,]/).map((scope) => scope.trim());
  const bad = scopes.find((scope) => !SCOPE_PATTERN.test(scope));
  if (bad !== undefined) {
    throw new TokenSpecError(
      `--token ${token}: "${bad}" is not a scope (like logs:read) or a tier (${TIERS.join(', ')})`,
    );
  }
  return { token, scopes, tier };
}
