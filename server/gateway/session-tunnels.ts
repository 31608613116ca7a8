/** Bytes a connection has carried so far: up from the client, down to it. */
export interface ConnectionBytes {
  up: number;
  down: number;
}

interface Binding extends ConnectionBytes {
  sessionId: string;
}

/**
 * Which session each gateway connection carries, so a session's tunnels can be
 * closed together, and how much of each connection's traffic is already counted,
 * so periodic reads of its running totals turn into deltas.
 */
export class SessionTunnels {
  readonly #byConnection = new Map<number, Binding>();
  readonly #bySession = new Map<string, Set<number>>();

  get size(): number {
    return this.#byConnection.size;
  }

  sessionOf(connectionId: number): string | undefined {
    return this.#byConnection.get(connectionId)?.sessionId;
  }

  bind(connectionId: number, sessionId: string): void {
    if (this.#byConnection.has(connectionId)) return;
    this.#byConnection.set(connectionId, { sessionId, up: 0, down: 0 });
    let connections = this.#bySession.get(sessionId);
    if (!connections) this.#bySession.set(sessionId, (connections = new Set()));
    connections.add(connectionId);
  }

  /** Forgets a closed connection; returns its session. */
  unbind(connectionId: number): string | undefined {
    const binding = this.#byConnection.get(connectionId);
    if (!binding) return undefined;
    this.#byConnection.delete(connectionId);
    const connections = this.#bySession.get(binding.sessionId);
    connections?.delete(connectionId);
    if (connections?.size === 0) this.#bySession.delete(binding.sessionId);
    return binding.sessionId;
  }

  /** Takes a connection's running totals and returns what is new since the last call. */
  deltaOf(connectionId: number, totals: ConnectionBytes): (ConnectionBytes & { sessionId: string }) | undefined {
    const binding = this.#byConnection.get(connectionId);
    if (!binding) return undefined;
    const delta = { sessionId: binding.sessionId, up: totals.up - binding.up, down: totals.down - binding.down };
    binding.up = totals.up;
    binding.down = totals.down;
    return delta;
  }

  connectionsOf(sessionId: string): number[] {
    return [...(this.#bySession.get(sessionId) ?? [])];
  }

  connections(): number[] {
    return [...this.#byConnection.keys()];
  }

  sessions(): string[] {
    return [...this.#bySession.keys()];
  }
}
