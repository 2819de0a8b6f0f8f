/**
 * Bearer tokens: who is calling, with which scopes and plan tier (api.md "Common"). Each server has
 * its own registry, so revoking a token in one test never touches another server.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApiProblem } from './envelope.js';
import { DEFAULT_ORG_ID, DEFAULT_PROJECT_ID, LOG_SCOPES, type MockToken } from './options.js';

/** A token as the server holds it: org and project always filled in. */
export interface Principal extends MockToken {
  orgId: string;
  projectId: string;
}

const TOKEN_PATTERN = /^so_(live|test)_[A-Za-z0-9_-]+$/;

export function isWellFormedToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}

function unauthorized(message: string): ApiProblem {
  return new ApiProblem(401, 'unauthorized', message, {}, { 'www-authenticate': 'Bearer' });
}

export class TokenRegistry {
  readonly #tokens = new Map<string, Principal>();
  readonly #revokeListeners: ((token: string) => void)[] = [];

  constructor(tokens: readonly MockToken[]) {
    for (const token of tokens) this.add(token);
  }

  add(token: MockToken): Principal {
    if (!isWellFormedToken(token.token)) throw new TypeError(`malformed token: ${redact(token.token)}`);
    const principal: Principal = {
      ...token,
      scopes: [...token.scopes],
      orgId: token.orgId ?? DEFAULT_ORG_ID,
      projectId: token.projectId ?? DEFAULT_PROJECT_ID,
    };
    this.#tokens.set(token.token, principal);
    return principal;
  }

  /** Forgets the token; listeners (open tails) learn of it. False when it was not known. */
  revoke(token: string): boolean {
    if (!this.#tokens.delete(token)) return false;
    for (const listener of this.#revokeListeners) listener(token);
    return true;
  }

  onRevoke(listener: (token: string) => void): void {
    this.#revokeListeners.push(listener);
  }

  /** The caller of a request, or 401 for a missing, malformed or unknown token. */
  authenticate(req: IncomingMessage): Principal {
    const header = req.headers.authorization;
    if (header === undefined || header === '') throw unauthorized('missing authorization token');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) throw unauthorized('authorization header must be "Bearer <token>"');
    const token = match[1];
    if (!isWellFormedToken(token)) throw unauthorized('malformed token (expected so_live_… or so_test_…)');
    const principal = this.#tokens.get(token);
    if (!principal) throw unauthorized('unknown or revoked token');
    return principal;
  }
}

/** 403 unless the token has one of `scopes` (the first is the one reported as required). */
export function requireScope(principal: Principal, ...scopes: string[]): void {
  if (scopes.some((scope) => principal.scopes.includes(scope))) return;
  throw new ApiProblem(403, 'forbidden', `token does not have the required scope ${scopes[0]}`, {
    required_scope: scopes[0],
  });
}

/** 403 unless the token has every one of `scopes` (the first missing one is reported). */
export function requireAllScopes(principal: Principal, scopes: readonly string[]): void {
  for (const scope of scopes) requireScope(principal, scope);
}

/**
 * 403 unless the token may drive the mock itself (`/_mock/*` off loopback): every log scope, and
 * the mock's own org. The admin routes read and change every org's data, so a token that another
 * org was given (`POST /_mock/tokens` with an `orgId`) must not reach them.
 */
export function requireOperator(principal: Principal): void {
  requireAllScopes(principal, LOG_SCOPES);
  if (principal.orgId === DEFAULT_ORG_ID) return;
  throw new ApiProblem(403, 'forbidden', `the admin routes belong to the mock's own org, ${DEFAULT_ORG_ID}`);
}

/** The shown part of a token, never the whole of it (docs/reliability.md "Secrets and trust"); whoami's token_prefix. */
export function redact(token: string): string {
  return `${token.slice(0, 12)}…`;
}

/** Mode prefix and last four characters: tells the dev tokens apart without showing them (admin state). */
export function redactEnds(token: string): string {
  return `${token.slice(0, 8)}…${token.slice(-4)}`;
}

/** A stable UUID-shaped id derived from a string (whoami's userUuid, so it is the same every run). */
export function stableUuid(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** GET /auth/whoami's body. */
export function whoami(principal: Principal): Record<string, unknown> {
  return {
    token_prefix: redact(principal.token),
    mode: principal.token.startsWith('so_live_') ? 'live' : 'test',
    scopes: principal.scopes,
    org_id: principal.orgId,
    project_id: principal.projectId,
    tier: principal.tier,
    tenantId: `tenant-${principal.orgId.replace(/^org_/, '')}`,
    userUuid: stableUuid(principal.token),
  };
}
