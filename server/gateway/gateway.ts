import { randomUUID } from 'node:crypto';
import type dns from 'node:dns';
import type { AddressInfo, Socket } from 'node:net';
import { RequestError, Server, type PrepareRequestFunctionOpts, type PrepareRequestFunctionResult } from 'proxy-chain';
import { GATEWAY_REFUSAL_HEADER } from '../../shared/api/gateway.ts';
import type { Targeting } from '../../shared/targeting.ts';
import type { Db } from '../db/types.ts';
import type { ExitSupply } from '../locations/exit-supply.ts';
import { onSessionEnded } from '../sessions/session-events.ts';
import { AdmissionCache } from './admission-cache.ts';
import { admitSession, type Admission } from './admit-session.ts';
import type { ConnectHead } from '../../relay/connect-head.ts';
import { exitIdentity, type ExitIdentityRule } from './exit-identity.ts';
import { DirectEgress } from './direct-egress.ts';
import { DirectTunnels } from './direct-tunnels.ts';
import { EgressPolicy, type AllowedCidrs } from './egress-policy.ts';
import { createGatewayFront } from './gateway-front.ts';
import { reportPresence } from './gateway-presence.ts';
import { authorizationProblemOf, screenProxyAuthorization } from './proxy-authorization.ts';
import { endedAmong, PendingTraffic } from './session-traffic.ts';
import { SessionTunnels } from './session-tunnels.ts';
import { refuseTunnel } from './tunnel-refusal.ts';

const REALM = 'Atlantic Proxy';
// A session announced ended is remembered this long, to refuse a request whose
// credentials were read just before the end committed.
const ENDED_MEMORY_MS = 60_000;
// Closed tunnels are counted together shortly after, not one write per close.
const CLOSE_FLUSH_DELAY_MS = 50;
// How long an admission is reused without reading the session again (the sweep re-checks it meanwhile).
const ADMISSION_TTL_MS = 30_000;

export interface GatewayLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface GatewayOptions {
  db: Db;
  exits: ExitSupply;
  host: string;
  /** 0: any free port (see `Gateway.port`). */
  port: number;
  /** How often byte counts are written and open sessions re-checked (default 1 s). */
  sweepIntervalMs?: number;
  /** Ranges the direct exit may reach beyond the public internet (GATEWAY_ALLOW_CIDRS; default none). */
  allowedCidrs?: AllowedCidrs;
  log?: GatewayLog;
  /** The time sticky exit identities are counted by (the service's clock; default Date.now). */
  now?: () => number;
}

export interface Gateway {
  host: string;
  /** The bound port. */
  port: number;
  /** Connections currently carrying a session. */
  openConnections(): number;
  /** Counts traffic, writes it, and closes the tunnels (and forgets the admissions) of sessions that have ended. */
  sweep(): Promise<void>;
  close(): Promise<void>;
}

const silent: GatewayLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

function refusal(admission: Exclude<Admission, { admitted: true }>): RequestError {
  const code = admission.reason ? `${admission.refusal}:${admission.reason}` : admission.refusal;
  return new RequestError(admission.message, 407, {
    'Proxy-Authenticate': `Basic realm="${REALM}"`,
    [GATEWAY_REFUSAL_HEADER]: code,
  });
}

/**
 * The proxy gateway: admits CONNECT tunnels and absolute-URI requests only for
 * an active session's credentials, sends them out through the exit its stored
 * targeting picks, counts bytes per session and drops a session's tunnels when
 * it ends. proxy-chain does the HTTP proxying (parsing, authentication,
 * absolute-URI requests, upstream chaining over http:// and socks5://); CONNECT
 * tunnels to the direct exit are relayed here, which carries bulk downloads at
 * a fraction of the CPU (see DirectTunnels), and those of a session admitted
 * lately skip proxy-chain altogether (see createGatewayFront).
 */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const { db, exits } = options;
  const log = options.log ?? silent;
  const tunnels = new SessionTunnels();
  const traffic = new PendingTraffic();
  const ended = new Map<string, number>();
  const admitted = new AdmissionCache<{ targeting: Targeting; identity: ExitIdentityRule }>(ADMISSION_TTL_MS);
  const now = options.now ?? Date.now;
  const direct = new DirectTunnels();
  const egress = new DirectEgress(new EgressPolicy(options.allowedCidrs ?? []), log);

  async function admit(username: string, password: string): Promise<Admission> {
    const sessionId = username.toLowerCase();
    const cached = admitted.get(sessionId, password, Date.now());
    if (cached) return { admitted: true, sessionId, ...cached };
    const admission = await admitSession(db, username, password);
    if (admission.admitted && !ended.has(admission.sessionId)) {
      const { targeting, identity } = admission;
      admitted.remember(admission.sessionId, password, { targeting, identity }, Date.now());
    }
    return admission;
  }

  async function prepareRequest(request: PrepareRequestFunctionOpts): Promise<PrepareRequestFunctionResult> {
    const malformed = authorizationProblemOf(request.request);
    if (malformed) {
      throw refusal({ admitted: false, refusal: 'credentials_required', reason: null, message: malformed });
    }
    const admission = await admit(request.username, request.password);
    if (!admission.admitted) throw refusal(admission);
    const { sessionId, targeting, identity } = admission;
    if (ended.has(sessionId)) {
      throw refusal({ admitted: false, refusal: 'session_ended', reason: null, message: 'The session has ended.' });
    }
    const client = request.request.socket;
    const carried = tunnels.sessionOf(client);
    if (carried !== undefined && carried !== sessionId) {
      throw refusal({
        admitted: false,
        refusal: 'connection_in_use',
        reason: null,
        message: 'This connection carries another session; open a new one.',
      });
    }
    // {session} per connection: sticky keeps one value per lifetime, rotating draws a new one.
    const route = exits.routeFor(targeting, exitIdentity(sessionId, identity, now()));
    if (!route) {
      throw new RequestError("No exit serves this session's location.", 502, { [GATEWAY_REFUSAL_HEADER]: 'no_exit' });
    }
    // Upstream exits are the operator's own supply; only the direct exit is held to the egress policy.
    const lookup =
      route.upstreamUrl === null ? await egress.lookupFor(sessionId, request.hostname, request.port) : null;
    tunnels.bind(client, sessionId);
    if (lookup === null) return { upstreamProxyUrl: route.upstreamUrl };
    if (!request.isHttp) {
      await direct.open(client, request.hostname, request.port, lookup);
      return { customConnectServer: direct.connectServer };
    }
    // proxy-chain types the option as dns.lookup itself; what it does with it is net.connect's `lookup`.
    return { dnsLookup: lookup as unknown as typeof dns.lookup };
  }

  /** A CONNECT to the direct exit from a session admitted lately, served at once; false leaves it to proxy-chain. */
  function tunnelAtOnce(client: Socket, head: ConnectHead): boolean {
    const sessionId = head.username.toLowerCase();
    const cached = ended.has(sessionId) ? undefined : admitted.get(sessionId, head.password, Date.now());
    const route = cached && exits.routeFor(cached.targeting, exitIdentity(sessionId, cached.identity, now()));
    if (route?.upstreamUrl !== null) return false;
    tunnels.bind(client, sessionId);
    // The same egress policy as proxy-chain's path: judged on the resolved address, pinned for the connect.
    egress
      .lookupFor(sessionId, head.hostname, head.port)
      .then((lookup) => direct.open(client, head.hostname, head.port, lookup))
      .then(
        () => direct.accept(client, head.rest),
        (error: unknown) => refuseTunnel(client, error),
      );
    return true;
  }

  const server = new Server({ authRealm: REALM, prepareRequestFunction: prepareRequest });
  screenProxyAuthorization(server.server);
  const clients = new Set<Socket>();
  const front = createGatewayFront({ http: server.server, accepted, tunnel: tunnelAtOnce });

  function count(client: Socket): void {
    const delta = tunnels.deltaOf(client, { up: client.bytesRead, down: client.bytesWritten });
    if (delta) traffic.add(delta.sessionId, delta);
  }

  let flushTimer: NodeJS.Timeout | undefined;
  let closing: Promise<void> | undefined;
  const flush = () =>
    traffic.flush(db).catch((error: unknown) => log.error({ err: error }, 'writing session byte counts failed'));

  function accepted(client: Socket): void {
    clients.add(client);
    client.once('close', () => {
      clients.delete(client);
      count(client);
      tunnels.unbind(client);
      if (closing) return; // the final flush counts it
      flushTimer ??= setTimeout(() => {
        flushTimer = undefined;
        void flush();
      }, CLOSE_FLUSH_DELAY_MS);
    });
  }
  server.on('requestFailed', ({ error }: { error: unknown }) => log.warn({ err: error }, 'gateway request failed'));

  function closeSession(sessionId: string): void {
    ended.set(sessionId, Date.now());
    admitted.forget(sessionId);
    egress.forget(sessionId);
    for (const client of tunnels.connectionsOf(sessionId)) client.destroy();
  }

  const gatewayId = randomUUID();
  const sweepIntervalMs = options.sweepIntervalMs ?? 1000;
  let sweeping: Promise<void> | undefined;
  async function sweepOnce(): Promise<void> {
    await reportPresence(db, gatewayId, Date.now(), 2 * sweepIntervalMs);
    for (const client of tunnels.connections()) count(client);
    await traffic.flush(db);
    const live = new Set([...tunnels.sessions(), ...admitted.sessions()]);
    for (const sessionId of await endedAmong(db, [...live])) closeSession(sessionId);
    const forgetBefore = Date.now() - ENDED_MEMORY_MS;
    for (const [sessionId, at] of ended) if (at < forgetBefore) ended.delete(sessionId);
  }
  const sweep = () => (sweeping ??= sweepOnce().finally(() => (sweeping = undefined)));

  const stopListening = await onSessionEnded(db, closeSession);
  try {
    await new Promise<void>((resolve, reject) => {
      front.once('error', reject).listen(options.port, options.host, () => {
        front.off('error', reject);
        resolve();
      });
    });
    await reportPresence(db, gatewayId, Date.now(), 2 * sweepIntervalMs);
  } catch (error) {
    front.close();
    await stopListening();
    throw error;
  }
  const timer = setInterval(() => {
    sweep().catch((error: unknown) => log.error({ err: error }, 'gateway sweep failed'));
  }, sweepIntervalMs);
  timer.unref();

  return {
    host: options.host,
    port: (front.address() as AddressInfo).port,
    openConnections: () => tunnels.size,
    sweep,
    close: () =>
      (closing ??= (async () => {
        clearInterval(timer);
        await sweeping?.catch(() => undefined);
        for (const client of tunnels.connections()) count(client);
        const closed = new Promise((resolve) => front.close(resolve));
        for (const client of clients) client.destroy();
        await closed;
        clearTimeout(flushTimer);
        await stopListening();
        await flush();
      })()),
  };
}
