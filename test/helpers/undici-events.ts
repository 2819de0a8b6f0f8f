/**
 * What undici reports through its diagnostics channels, for tests that must act at a precise point
 * of a connection's life (after the client has seen a cut) without sleeping.
 */
import diagnostics from 'node:diagnostics_channel';

/**
 * Resolves once undici has reported the failure of a request to `origin` (`undici:request:error`;
 * other tests' requests in the same worker do not count) and has destroyed that response's body,
 * which it does in a microtask after the report.
 */
export function untilUndiciFails(origin: string): Promise<void> {
  return new Promise((resolve) => {
    const onError = (message: unknown): void => {
      const request = (message as { request?: { origin?: unknown } }).request;
      if (String(request?.origin) !== new URL(origin).origin) return;
      diagnostics.unsubscribe('undici:request:error', onError);
      setImmediate(resolve);
    };
    diagnostics.subscribe('undici:request:error', onError);
  });
}
