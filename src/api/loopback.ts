/**
 * Which hosts are this machine. Two kinds: loopback addresses (127.0.0.0/8, ::1, and 127.x written
 * as an IPv4-mapped IPv6 address, which the URL parser turns into `[::ffff:7f00:1]`), and the name
 * `localhost` with its subdomains, with or without the final dot of a fully qualified name.
 *
 * A name is only as local as what it resolves to, so sotail does not ask DNS about localhost
 * names at all: as RFC 6761 (section 6.3) says, they resolve to loopback, and `loopbackLookup`
 * answers them with 127.0.0.1 and ::1 itself. That is what makes trusting `foo.localhost` with a
 * token over plain http:// safe: a resolver cannot point it elsewhere.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

const LOOPBACK_ADDRESSES = new BlockList();
LOOPBACK_ADDRESSES.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK_ADDRESSES.addAddress('::1', 'ipv6');

const LOCALHOST_ANSWERS: readonly LookupAddress[] = [
  { address: '127.0.0.1', family: 4 },
  { address: '::1', family: 6 },
];

/** `localhost`, `api.localhost`, `localhost.` (any case): names that always mean this machine. */
export function isLocalhostName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}

/** A URL hostname (IPv6 in brackets or not) that never leaves this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (isLocalhostName(host)) return true;
  const family = isIP(host);
  if (family === 0) return false;
  // BlockList also matches an IPv4-mapped IPv6 address against the IPv4 subnet.
  return LOOPBACK_ADDRESSES.check(host, family === 4 ? 'ipv4' : 'ipv6');
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `dns.lookup` for sockets: localhost names get the loopback addresses without any query
 * (filtered by the requested family); every other name goes to the system resolver as usual.
 */
export function loopbackLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  if (!isLocalhostName(hostname)) {
    // The system resolver answers in the same shape it was asked for (one address, or all).
    (dnsLookup as unknown as (name: string, how: LookupOptions, done: LookupCallback) => void)(
      hostname,
      options,
      callback,
    );
    return;
  }
  const wanted = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
  const answers = LOCALHOST_ANSWERS.filter((answer) => !wanted || answer.family === wanted);
  if (options.all) {
    callback(
      null,
      answers.map((answer) => ({ ...answer })),
    );
    return;
  }
  const [first] = answers;
  callback(null, first!.address, first!.family);
}
