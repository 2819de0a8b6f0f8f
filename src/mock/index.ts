/**
 * The mock logs service (`sotail mock`): a real HTTP server implementing every endpoint, error and
 * stream rule of docs/api.md, with synthetic traffic and fault injection, for tests, the `demo`
 * command and trying the CLI without an account.
 */

export { FaultSpecError, parseFaultSpec } from './fault-spec.js';
export { type Fault, type FaultSpec, type HttpFault, ROUTE_FAMILIES, type TailFault } from './faults.js';
export type { AppendedEvent, MockServer, MockSnapshot } from './mock-server.js';
export {
  DEFAULT_MOCK_OPTIONS,
  DEV_TOKENS,
  LOG_SCOPES,
  type MockOptions,
  type MockToken,
  TIERS,
  type Tier,
} from './options.js';
export { startMockServer } from './server.js';
export { parseTokenSpec, TokenSpecError } from './token-spec.js';
