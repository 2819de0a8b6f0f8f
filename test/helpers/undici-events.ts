/**
 * What undici reports through its diagnostics channels, for tests that must act at a precise point
 * of a connection's life (after the client has seen a cut) without sleeping.
 */
import diagnostics from 'node:diagnostics_channel';

/**
 * Resolves once undici has reported the next request failure (`undici:request:error`) and has
 * destroyed that response's body, which it does in a microtask after the report.
 */
export function untilUndiciFails(): Promise<void> {
  return new Promise((resolve) => {
    const onError = (): void => {
      diagnostics.unsubscribe('undici:request:error', onError);
      setImmediate(resolve);
    };
    diagnostics.subscribe('undici:request:error', onError);
  });
}
