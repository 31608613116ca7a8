import { between } from './seeded-random.ts';
import { callJson, sleep } from '../billed-client.ts';

export interface SeenSession {
  id: string;
  /** When the client started and stopped using it (ms). */
  from: number;
  to: number | null;
}

export interface SessionLoadOptions {
  url: () => string;
  token: string;
  random: () => number;
  running: () => boolean;
  heartbeatMs: number;
  seen: SeenSession[];
}

/** One user of the proxy: connects, heartbeats for a few seconds, disconnects, again and again. */
export async function sessionLoad(options: SessionLoadOptions): Promise<void> {
  const { token, random } = options;
  while (options.running()) {
    const connected = await callJson(options.url(), 'POST', '/api/proxy/connect', token, { country: 'US' });
    if (connected?.status !== 201) {
      await sleep(300);
      continue;
    }
    const session: SeenSession = { id: connected.body.session.id, from: Date.now(), to: null };
    options.seen.push(session);
    const until = Date.now() + between(random, 1_000, 6_000);
    while (Date.now() < until && options.running()) {
      await sleep(options.heartbeatMs);
      await callJson(options.url(), 'POST', '/api/proxy/heartbeat', token, { session_id: session.id });
    }
    // Keep asking until the service answers: a kill may have taken the first try.
    for (let tries = 0; tries < 50; tries++) {
      const ended = await callJson(options.url(), 'POST', '/api/proxy/disconnect', token, { session_id: session.id });
      if (ended && ended.status !== 503) break;
      await sleep(200);
    }
    session.to = Date.now();
  }
}
