/**
 * The method a request is routed by. HEAD is answered as GET (RFC 9110; docs/api.md "Common"):
 * same status and headers, and Node sends no body for a HEAD request whatever the handler writes.
 */
import type { IncomingMessage } from 'node:http';

export function routeMethod(req: IncomingMessage): string {
  return req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
}
