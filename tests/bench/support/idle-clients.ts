import { setMaxListeners } from 'node:events';
import { readFile } from 'node:fs/promises';
import { issueToken } from '../../../server/accounts/tokens.ts';
import { createUser } from '../../../server/accounts/users.ts';
import type { Db } from '../../../server/db/types.ts';
import { SseParser } from '../../../shared/api/sse.ts';
import { WALLET_STREAM_PATH } from '../../../shared/api/wallet-stream.ts';
import { processCpuMs } from './process-cpu.ts';

// Many clients doing nothing in particular: the window open on the wallet,
// either holding the wallet stream or polling the four wallet routes every 5 s
// as the client did before the stream. What does the service spend on them?

const POLL_EVERY_MS = 5_000;
const POLL_PATHS = [
  '/api/credits/balance',
  '/api/credits/features',
  '/api/proxy/sessions?status=active&limit=1',
  '/api/credits/transactions?limit=10',
];

export interface IdleCost {
  cpuSeconds: number;
  rssMb: number;
  requests: number;
  errors: number;
}

/** `n` signed-in users with empty wallets, made straight in the database (password hashing would take minutes). */
export async function idleUsers(db: Db, n: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < n; i += 100) {
    const batch = Array.from({ length: Math.min(100, n - i) }, async (_, j) => {
      const id = await createUser(db, { email: `idle-${i + j}@bench.example` });
      return issueToken(db, id, 24 * 3_600_000);
    });
    tokens.push(...(await Promise.all(batch)));
  }
  return tokens;
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

/** Service CPU over `seconds` and its RSS at the end, while `hold` keeps the clients busy or idle. */
async function measure(pid: number, seconds: number): Promise<{ cpuSeconds: number; rssMb: number }> {
  const before = (await processCpuMs(pid)) ?? 0;
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const after = (await processCpuMs(pid)) ?? 0;
  return { cpuSeconds: (after - before) / 1000, rssMb: await rssMb(pid) };
}

/** Every client holds GET /api/wallet/stream; measured once all have their first event. */
export async function holdStreams(base: string, tokens: string[], pid: number, seconds: number): Promise<IdleCost> {
  const abort = new AbortController();
  // One signal ends every held stream at once; each of them listens to it.
  setMaxListeners(tokens.length + 10, abort.signal);
  let errors = 0;
  const opened = tokens.map(
    (token) =>
      new Promise<void>((resolve) => {
        void (async () => {
          const response = await fetch(base + WALLET_STREAM_PATH, {
            headers: { authorization: `Bearer ${token}` },
            signal: abort.signal,
          });
          if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
          const parser = new SseParser();
          const decoder = new TextDecoder();
          for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
            if (parser.push(decoder.decode(chunk, { stream: true })).some((e) => e.event === 'wallet')) resolve();
          }
        })().catch(() => {
          if (!abort.signal.aborted) errors += 1;
          resolve();
        });
      }),
  );
  await Promise.all(opened);
  const cost = await measure(pid, seconds);
  abort.abort();
  return { ...cost, requests: tokens.length, errors };
}

/** Every client polls the four wallet routes every 5 s, spread evenly over the interval. */
export async function pollLikeBefore(base: string, tokens: string[], pid: number, seconds: number): Promise<IdleCost> {
  let requests = 0;
  let errors = 0;
  let running = true;
  const loops = tokens.map(async (token, i) => {
    await new Promise((resolve) => setTimeout(resolve, (i / tokens.length) * POLL_EVERY_MS));
    while (running) {
      const started = Date.now();
      await Promise.all(
        POLL_PATHS.map(async (path) => {
          try {
            const response = await fetch(base + path, {
              headers: { authorization: `Bearer ${token}` },
            });
            await response.arrayBuffer();
            requests += 1;
            if (!response.ok) errors += 1;
          } catch {
            errors += 1;
          }
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, POLL_EVERY_MS - (Date.now() - started))));
    }
  });
  // One round to warm up (every client has polled once) before measuring.
  await new Promise((resolve) => setTimeout(resolve, POLL_EVERY_MS));
  requests = 0;
  const cost = await measure(pid, seconds);
  const counted = requests;
  running = false;
  await Promise.all(loops);
  return { ...cost, requests: counted, errors };
}
