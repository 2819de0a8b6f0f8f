/**
 * What the synthetic services say: believable events for a handful of sources, with a severity mix
 * that is mostly debug/info, some warn, few error and rare critical, and a "trouble" mode that a
 * burst switches on (errors and timeouts, as in a real incident).
 */
import type { Severity } from '../model/event.js';
import { type Prng, WeightedPicker } from './prng.js';

export interface SyntheticEvent {
  dataset: string;
  severity: Severity;
  event: string;
  actor: string | undefined;
  message: string;
  payload: Record<string, unknown>;
}

type SourceTemplate = (rng: Prng, trouble: boolean) => SyntheticEvent;

const USERS = [
  'alice',
  'bob',
  'carol',
  'dave',
  'erin',
  'frank',
  'grace',
  'heidi',
  'ivan',
  'judy',
  'mallory',
  'oscar',
];
const PLAYERS = ['Mitch', 'Nova', 'Kestrel', 'Dusty', 'Jinx', 'Rook', 'Vex', 'Pasha', 'Tamsin', 'Grub'];
const ROUTES = [
  '/v1/users',
  '/v1/users/:id',
  '/v1/orders',
  '/v1/orders/:id',
  '/v1/search',
  '/v1/sessions',
  '/healthz',
];
const PAGES = ['/', '/pricing', '/docs', '/login', '/dashboard', '/dashboard/billing/plan', '/blog/launch'];
const METHODS = new WeightedPicker<string>([
  ['GET', 70],
  ['POST', 18],
  ['PUT', 5],
  ['PATCH', 4],
  ['DELETE', 3],
]);
const JOBS = [
  'send_email',
  'resize_image',
  'sync_inventory',
  'rebuild_search_index',
  'export_csv',
  'charge_renewals',
];
const CURRENCIES = ['usd', 'eur', 'gbp'];
const RESOURCES = ['chat', 'vehicles', 'police-job', 'banking', 'inventory', 'housing'];

const api: SourceTemplate = (rng, trouble) => {
  const method = METHODS.pick(rng);
  const path = rng.pick(ROUTES).replace(':id', String(rng.int(1, 99_999)));
  const status =
    trouble && rng.chance(0.4)
      ? rng.pick([500, 502, 503, 504])
      : rng.chance(0.06)
        ? rng.pick([400, 401, 404, 409, 422, 429])
        : method === 'POST'
          ? 201
          : 200;
  const durationMs = trouble
    ? rng.int(800, 30_000)
    : rng.int(1, 180) + (rng.chance(0.02) ? rng.int(500, 4_000) : 0);
  const severity: Severity =
    status >= 500
      ? 'error'
      : status >= 400
        ? 'warn'
        : durationMs > 1_000
          ? 'notice'
          : rng.chance(0.25)
            ? 'debug'
            : 'info';
  return {
    dataset: 'http',
    severity,
    event: 'http_request',
    actor: rng.chance(0.7) ? `user:${rng.pick(USERS)}` : undefined,
    message: `${method} ${path} ${status} ${durationMs}ms`,
    payload: { method, path, status, duration_ms: durationMs, request_id: `req_${rng.hex(12)}` },
  };
};

const web: SourceTemplate = (rng, trouble) => {
  const page = rng.pick(PAGES);
  if (trouble && rng.chance(0.5)) {
    return {
      dataset: 'frontend',
      severity: 'error',
      event: 'ssr_render_failed',
      actor: undefined,
      message: `render of ${page} failed: upstream api timed out after 5000ms`,
      payload: { page, upstream: 'api', timeout_ms: 5_000 },
    };
  }
  const ttfbMs = rng.int(20, 900);
  return {
    dataset: 'frontend',
    severity: ttfbMs > 800 ? 'warn' : rng.chance(0.4) ? 'debug' : 'info',
    event: rng.chance(0.8) ? 'page_view' : 'asset_miss',
    actor: rng.chance(0.5) ? `user:${rng.pick(USERS)}` : undefined,
    message: `served ${page} in ${ttfbMs}ms`,
    payload: {
      page,
      ttfb_ms: ttfbMs,
      cache: rng.chance(0.7) ? 'hit' : 'miss',
      country: rng.pick(['US', 'DE', 'FR', 'GB', 'BR', 'JP']),
    },
  };
};

const authService: SourceTemplate = (rng, trouble) => {
  const user = rng.pick(USERS);
  const ip = `203.0.113.${rng.int(1, 254)}`;
  if (trouble || rng.chance(0.08)) {
    const attempts = rng.int(1, trouble ? 40 : 5);
    return {
      dataset: 'security',
      severity: attempts > 10 ? 'error' : 'warn',
      event: 'login_failed',
      actor: `user:${user}`,
      message: `login failed for ${user} from ${ip} (attempt ${attempts})`,
      payload: { user, ip, attempts, reason: rng.pick(['bad_password', 'mfa_timeout', 'locked']) },
    };
  }
  const event = rng.pick([
    'login_succeeded',
    'token_refreshed',
    'token_refreshed',
    'mfa_challenge',
    'logout',
  ]);
  return {
    dataset: 'security',
    severity: rng.chance(0.3) ? 'debug' : 'info',
    event,
    actor: `user:${user}`,
    message: `${event.replace('_', ' ')} for ${user}`,
    payload: { user, ip, session: `ses_${rng.hex(10)}` },
  };
};

const payments: SourceTemplate = (rng, trouble) => {
  const amountCents = rng.int(199, 49_999);
  const currency = rng.pick(CURRENCIES);
  const customer = `cus_${rng.hex(8)}`;
  if (trouble && rng.chance(0.05)) {
    return {
      dataset: 'billing',
      severity: 'critical',
      event: 'processor_unreachable',
      actor: undefined,
      message: 'payment processor unreachable: connect ETIMEDOUT after 3 retries',
      payload: { processor: 'stripe', retries: 3 },
    };
  }
  const failed = trouble ? rng.chance(0.5) : rng.chance(0.03);
  return {
    dataset: 'billing',
    // Routine money movements are info; only failures are loud.
    severity: failed ? 'error' : rng.chance(0.1) ? 'notice' : 'info',
    event: failed
      ? 'charge_failed'
      : rng.pick(['charge_succeeded', 'charge_succeeded', 'refund_issued', 'webhook_received']),
    actor: `customer:${customer}`,
    message: failed
      ? `charge of ${(amountCents / 100).toFixed(2)} ${currency} declined: ${rng.pick(['card_declined', 'insufficient_funds', 'processing_error'])}`
      : `charge of ${(amountCents / 100).toFixed(2)} ${currency} for ${customer}`,
    payload: { amount_cents: amountCents, currency, customer, invoice: `in_${rng.hex(10)}` },
  };
};

const fivem: SourceTemplate = (rng, trouble) => {
  const player = rng.pick(PLAYERS);
  const playerId = `steam:11000011${rng.hex(7)}`;
  const server = `main-${rng.int(1, 3)}`;
  if (rng.chance(trouble ? 0.3 : 0.01)) {
    return {
      dataset: 'security',
      severity: 'error',
      event: 'player_kick',
      actor: `admin:${rng.pick(PLAYERS)}`,
      message: rng.pick(['VAC kick', 'kicked for speed hack', 'kicked: resource injection detected']),
      payload: { target: String(rng.int(1, 2_048)), player_id: playerId, server_id: server },
    };
  }
  const event = rng.pick([
    'player_connected',
    'player_dropped',
    'chat_message',
    'resource_started',
    'vehicle_spawned',
  ]);
  const pingMs = rng.int(12, 180);
  return {
    dataset: 'game',
    severity:
      event === 'resource_started' ? 'notice' : pingMs > 170 ? 'warn' : rng.chance(0.3) ? 'debug' : 'info',
    event,
    actor: `player:${player}`,
    message:
      event === 'player_connected'
        ? 'Player connected'
        : event === 'resource_started'
          ? `Started resource ${rng.pick(RESOURCES)}`
          : `${event.replace('_', ' ')}: ${player}`,
    payload: { player_id: playerId, server_id: server, ping_ms: pingMs },
  };
};

const worker: SourceTemplate = (rng, trouble) => {
  const job = rng.pick(JOBS);
  const attempt = trouble ? rng.int(1, 5) : rng.chance(0.05) ? 2 : 1;
  const failed = trouble ? rng.chance(0.4) : rng.chance(0.02);
  const durationMs = rng.int(5, trouble ? 60_000 : 2_500);
  return {
    dataset: 'jobs',
    severity: failed
      ? attempt >= 5
        ? 'critical'
        : 'error'
      : attempt > 1
        ? 'warn'
        : rng.chance(0.5)
          ? 'debug'
          : 'info',
    event: failed ? 'job_failed' : rng.pick(['job_started', 'job_completed']),
    actor: undefined,
    message: failed
      ? `${job} failed on attempt ${attempt}: deadline exceeded`
      : `${job} finished in ${durationMs}ms`,
    payload: {
      job,
      queue: rng.pick(['default', 'critical', 'bulk']),
      attempt,
      duration_ms: durationMs,
      job_id: `job_${rng.hex(10)}`,
    },
  };
};

/** Source name → template, with its share of the traffic. */
export const SOURCES: readonly (readonly [string, SourceTemplate, number])[] = [
  ['api', api, 30],
  ['web', web, 20],
  ['auth-service', authService, 12],
  ['payments', payments, 8],
  ['fivem', fivem, 18],
  ['worker', worker, 12],
];
