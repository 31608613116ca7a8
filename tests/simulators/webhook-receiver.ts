import type { IncomingHttpHeaders } from 'node:http';
import { SimServer } from './http.ts';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The parsed body; tests read it loosely. */
  json: any;
}

/**
 * A stand-in webhook endpoint for testing the simulators themselves: records what arrives,
 * answers with a chosen status after an optional delay, and measures how many requests overlap.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  /** Status to answer with, fixed or per request. */
  status: number | ((hook: ReceivedWebhook) => number) = 200;
  /** Hold each answer this long, so that concurrent deliveries overlap measurably. */
  delayMs = 0;
  /** The most requests in flight at once so far. */
  maxInFlight = 0;
  #inFlight = 0;
  readonly #server = new SimServer(async (request) => {
    this.#inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.#inFlight);
    try {
      let json: unknown;
      try {
        json = JSON.parse(request.rawBody);
      } catch {
        json = undefined;
      }
      const hook = { headers: request.headers, rawBody: request.rawBody, json };
      this.received.push(hook);
      if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      return { status: typeof this.status === 'number' ? this.status : this.status(hook) };
    } finally {
      this.#inFlight -= 1;
    }
  });

  /** Returns the URL to give a simulator as its webhookUrl. */
  async start(): Promise<string> {
    return `${await this.#server.start()}/webhook`;
  }

  stop(): Promise<void> {
    return this.#server.stop();
  }
}
