import type { Socket } from 'node:net';

/** Bytes a connection has carried so far: up from the client, down to it. */
export interface ConnectionBytes {
  up: number;
  down: number;
}

interface Binding extends ConnectionBytes {
  sessionId: string;
}

/**
 * Which session each gateway connection (a client's socket) carries, so a
 * session's tunnels can be closed together, and how much of each connection's
 * traffic is already counted, so periodic reads of its running totals turn
 * into deltas.
 */
export class SessionTunnels {
  readonly #byConnection = new Map<Socket, Binding>();
  readonly #bySession = new Map<string, Set<Socket>>();

  get size(): number {
    return this.#byConnection.size;
  }

  sessionOf(connection: Socket): string | undefined {
    return this.#byConnection.get(connection)?.sessionId;
  }

  bind(connection: Socket, sessionId: string): void {
    if (this.#byConnection.has(connection)) return;
    this.#byConnection.set(connection, { sessionId, up: 0, down: 0 });
    let connections = this.#bySession.get(sessionId);
    if (!connections) this.#bySession.set(sessionId, (connections = new Set()));
    connections.add(connection);
  }

  /** Forgets a closed connection; returns its session. */
  unbind(connection: Socket): string | undefined {
    const binding = this.#byConnection.get(connection);
    if (!binding) return undefined;
    this.#byConnection.delete(connection);
    const connections = this.#bySession.get(binding.sessionId);
    connections?.delete(connection);
    if (connections?.size === 0) this.#bySession.delete(binding.sessionId);
    return binding.sessionId;
  }

  /** Takes a connection's running totals and returns what is new since the last call. */
  deltaOf(connection: Socket, totals: ConnectionBytes): (ConnectionBytes & { sessionId: string }) | undefined {
    const binding = this.#byConnection.get(connection);
    if (!binding) return undefined;
    const delta = { sessionId: binding.sessionId, up: totals.up - binding.up, down: totals.down - binding.down };
    binding.up = totals.up;
    binding.down = totals.down;
    return delta;
  }

  connectionsOf(sessionId: string): Socket[] {
    return [...(this.#bySession.get(sessionId) ?? [])];
  }

  connections(): Socket[] {
    return [...this.#byConnection.keys()];
  }

  sessions(): string[] {
    return [...this.#bySession.keys()];
  }
}
