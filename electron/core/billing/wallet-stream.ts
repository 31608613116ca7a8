import { SseParser } from '../../../shared/api/sse.ts';
import { WALLET_STREAM_PATH, walletEventSchema, type WalletEvent } from '../../../shared/api/wallet-stream.ts';

export interface WalletStreamHandle {
  close(): void;
}

export interface WalletStreamOptions {
  baseUrl: string;
  token: string | undefined;
  onEvent(event: WalletEvent): void;
  /** The stream ended (service gone, refused, closed); not called after close(). */
  onEnd(reason: string): void;
}

/**
 * Holds `GET /api/wallet/stream` open and hands each `wallet` event on, parsed
 * with the shared schema. One request for as long as the service keeps it.
 */
export function openWalletStream(options: WalletStreamOptions): WalletStreamHandle {
  const abort = new AbortController();
  let closed = false;
  const end = (reason: string) => {
    if (!closed) options.onEnd(reason);
    closed = true;
  };

  void (async () => {
    const response = await fetch(new URL(WALLET_STREAM_PATH, options.baseUrl), {
      headers: { accept: 'text/event-stream', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
      signal: abort.signal,
    });
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      return end(`HTTP ${response.status}`);
    }
    const parser = new SseParser();
    const decoder = new TextDecoder();
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      for (const { event, data } of parser.push(decoder.decode(chunk, { stream: true }))) {
        if (event !== 'wallet') continue;
        const parsed = walletEventSchema.safeParse(JSON.parse(data));
        if (parsed.success) options.onEvent(parsed.data);
      }
    }
    end('the service closed the stream');
  })().catch((error: unknown) => end(error instanceof Error ? error.message : String(error)));

  return {
    close() {
      closed = true;
      abort.abort();
    },
  };
}
