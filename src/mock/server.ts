/**
 * Starting a mock: resolves options, loads or creates the log (one incarnation per start unless
 * --data carries it over), wires the state to the router and admin routes, listens, and offers the
 * MockServer operations that tests, `demo` and the admin routes use.
 */
import { randomInt } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LogEvent } from '../model/event.js';
import { findTooDeep, MAX_PAYLOAD_DEPTH } from '../model/limits.js';
import { createAdminHandler } from './admin.js';
import { redactEnds, TokenRegistry } from './auth.js';
import { BodyBudget } from './body.js';
import { isCursorText } from './cursor.js';
import { NODE_DATA_FILE_SYSTEM } from './data-file.js';
import { badRequest } from './envelope.js';
import { parseEventInput } from './event-input.js';
import { EventLog } from './event-log.js';
import { MEMORY_STORE, openDataFile, type Stored } from './event-store.js';
import { toFault } from './fault-spec.js';
import { FaultBook } from './faults.js';
import { compileEventFilter } from './filter.js';
import { IdempotencyCache } from './idempotency.js';
import { OrgLogStats } from './log-stats.js';
import type { AppendedEvent, MockServer, MockSnapshot } from './mock-server.js';
import { DEFAULT_ORG_ID, type MockOptions, resolveMockOptions } from './options.js';
import { Prng } from './prng.js';
import { createRequestListener } from './router.js';
import { SessionStore } from './sessions.js';
import { scanInSlices } from './sliced-scan.js';
import { EventStamper } from './stamp.js';
import type { MockState } from './state.js';
import { TailRegistry } from './tail-registry.js';
import { prefillHistory, TrafficGenerator, TrafficPump } from './traffic.js';

/** After a graceful close, connections still open this long are cut. */
const CLOSE_GRACE_MS = 1_000;

/** A fresh log's first sequence number: random, so that cursors of another incarnation are recognised as foreign. */
function randomOrigin(): number {
  return randomInt(1, 9_000_000) * 1_000_000 + 1;
}

/** Starts a mock logs service; resolves once it listens. */
export async function startMockServer(partial: Partial<MockOptions> = {}): Promise<MockServer> {
  const options = resolveMockOptions(partial);
  const say = options.log ?? (() => {});
  const warn = options.warn ?? say;
  const faultRandom = new Prng(options.seed ^ 0x5f3759df);
  const faults = new FaultBook(() => faultRandom.next());
  for (const spec of options.faults ?? []) faults.arm(toFault(spec));

  const opened = options.dataFile
    ? await openDataFile(
        options.dataFile,
        options.dataFileSystem ?? NODE_DATA_FILE_SYSTEM,
        options.retainEvents,
        warn,
      )
    : undefined;
  if (opened?.repairedBytes) {
    warn(
      `data file: removed an unfinished last line (${opened.repairedBytes} bytes) left by an interrupted write; it had not been acknowledged`,
    );
  }
  if (opened?.skipped) warn(`data file: skipped ${opened.skipped} unreadable line(s)`);
  const store = opened?.store ?? MEMORY_STORE;
  const initialLog = opened?.log ?? new EventLog(options.firstSeq ?? randomOrigin(), options.retainEvents);

  const stamper = new EventStamper();
  const state: MockState = {
    options,
    log: initialLog,
    stats: OrgLogStats.follow(initialLog),
    stamper,
    tokens: new TokenRegistry(options.tokens),
    sessions: new SessionStore(),
    tails: new TailRegistry(),
    faults,
    idempotency: new IdempotencyCache(options.idempotencyTtlMs, options.idempotencyMaxBytes),
    quota: { limit: options.quotaEvents, used: 0 },
    bodyLimits: {
      maxBytes: options.maxBodyBytes,
      budget: new BodyBudget(options.maxInflightBodyBytes),
      timeoutMs: options.bodyTimeoutMs,
    },
    tailMetrics: { opened: 0, batches: 0, largestBatch: 0, eventsSent: 0, ended: {} },
    store: (event, tsMs) => store.add(state.log, event, tsMs),
    // Locked until the bound address is known.
    adminNeedsToken: true,
    now: Date.now,
    say,
  };
  state.tokens.onRevoke((token) =>
    state.tails.destroyScope((entry) => entry.token === token, 'token_revoked'),
  );

  const generator = new TrafficGenerator(options.seed, stamper);
  const append = (event: LogEvent, tsMs: number): Stored => state.store(event, tsMs);
  const fillHistory = (): void =>
    prefillHistory(generator, append, options.history, options.historySpanMs, state.now());
  // A reloaded log already has its past; inventing more would put old events after new ones.
  if (!opened?.log) fillHistory();
  const pump = new TrafficPump(generator, append);

  let httpServer: Server | undefined;
  let closing: Promise<void> | undefined;

  const server: MockServer = {
    url: '',
    port: 0,
    host: options.host,
    head: () => String(state.log.headSeq),
    append(...inputs) {
      const now = state.now();
      // All are checked before any is stored: a bad third event must not leave the first two in.
      const parsed = inputs.map((input) => {
        const checked = parseEventInput(input);
        // Ignored fields are measured for bytes_raw too, so they must be safe to serialise.
        const tooDeep = findTooDeep(input, MAX_PAYLOAD_DEPTH + 1);
        if (tooDeep !== undefined) throw badRequest('an event is nested too deep', tooDeep);
        return { input: checked, raw: input };
      });
      return parsed.map(({ input, raw }): AppendedEvent => {
        const { event, tsMs } = stamper.stamp(
          input,
          now,
          Buffer.byteLength(JSON.stringify(raw)),
          DEFAULT_ORG_ID,
        );
        const { seq, written } = append(event, tsMs);
        return { cursor: String(seq), event, written };
      });
    },
    flush: () => store.idle(),
    generate(count) {
      if (count < 1) return undefined;
      const now = state.now();
      let first: Stored | undefined;
      let last: Stored | undefined;
      for (let i = 0; i < count; i++) {
        last = append(generator.next(now, now), now);
        first ??= last;
      }
      if (!first || !last) return undefined;
      return { first: String(first.seq), last: String(last.seq), written: last.written };
    },
    injectFault: (...specs) => {
      for (const fault of specs.map(toFault)) faults.arm(fault);
    },
    clearFaults: () => faults.clear(),
    revokeToken: (token) => state.tokens.revoke(token),
    addToken: (token) => {
      state.tokens.add(token);
    },
    async restart() {
      state.tails.closeAll('drop');
      state.sessions.clear();
      // Idle keep-alive sockets stay: closing them would only make a client's next pooled request
      // fail at random, which tests nothing useful and flakes every test that restarts.
      if (opened) {
        // What was appended before the restart is there after it, as a real restart would show.
        await store.idle();
        return;
      }
      let origin = randomOrigin();
      while (origin === state.log.originSeq) origin = randomOrigin();
      state.log = new EventLog(origin, options.retainEvents);
      state.stats = OrgLogStats.follow(state.log);
      fillHistory();
      say(`restarted as a new incarnation (cursors from ${origin})`);
    },
    setRate: (perSec) => pump.setRate(perSec),
    setQuota(limit) {
      state.quota.limit = limit;
      state.quota.used = 0;
    },
    async count(q, range = {}) {
      for (const field of ['after', 'through'] as const) {
        const cursor = range[field];
        if (cursor !== undefined && !isCursorText(cursor))
          throw badRequest(`${field} is not a cursor`, field);
      }
      const { matches } = await compileEventFilter(q);
      let count = 0;
      const startSeq = range.after === undefined ? state.log.firstSeq : Number(range.after) + 1;
      const endSeq = range.through === undefined ? state.log.headSeq : Number(range.through);
      // The operator's count: every org's events (docs/api.md "Admin routes").
      await scanInSlices(state.log, { startSeq, endSeq, org: null }, (event) => {
        if (matches(event)) count += 1;
        return true;
      });
      return count;
    },
    snapshot: () => snapshotOf(state, pump.ratePerSec),
    close() {
      closing ??= closeAll();
      return closing;
    },
  };

  async function closeAll(): Promise<void> {
    pump.stop();
    state.tails.closeAll('end');
    const current = httpServer;
    if (current) {
      const closed = new Promise<void>((resolve) => current.close(() => resolve()));
      current.closeIdleConnections();
      const cut = setTimeout(() => current.closeAllConnections(), CLOSE_GRACE_MS);
      await closed;
      clearTimeout(cut);
    }
    await store.close();
  }

  httpServer = createServer(createRequestListener(state, createAdminHandler(server, state.bodyLimits)));
  // A backstop for a request whose body no handler reads (Node discards it): the whole request,
  // headers and body, within a minute instead of Node's 5. Streams are not affected: this counts
  // only until the request has arrived.
  httpServer.requestTimeout = Math.max(httpServer.headersTimeout, options.bodyTimeoutMs + 5_000);
  try {
    await listen(httpServer, options.port, options.host);
  } catch (error) {
    await store.close();
    throw error;
  }
  const { port, address } = httpServer.address() as AddressInfo;
  state.adminNeedsToken = !options.openAdmin && !isLoopbackAddress(address);
  const hostInUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  Object.assign(server, { port, url: `http://${hostInUrl}:${port}` });
  pump.setRate(options.ratePerSec);
  return server;
}

/** 127.0.0.0/8 and ::1 (also IPv4-mapped): an address only this machine can reach. */
export function isLoopbackAddress(address: string): boolean {
  const v4 = address.replace(/^::ffff:/i, '');
  return address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function snapshotOf(state: MockState, ratePerSec: number): MockSnapshot {
  const { log, quota, tails } = state;
  return {
    incarnation: String(log.originSeq),
    head: String(log.headSeq),
    oldest: String(log.firstSeq),
    events: log.size,
    rate_per_s: ratePerSec,
    tails: { active: tails.size, by_token: tails.countsByToken(redactEnds), metrics: state.tailMetrics },
    sessions: state.sessions.size,
    faults: state.faults.list(),
    quota: { limit: quota.limit ?? null, used: quota.used },
    idempotency: state.idempotency.usage,
    bodies: {
      in_flight_bytes: state.bodyLimits.budget.inFlightBytes,
      limit_bytes: state.bodyLimits.budget.limitBytes,
    },
  };
}
