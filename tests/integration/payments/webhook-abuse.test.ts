import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaymentsWorld } from './payments-world.ts';

/** Sends a webhook's head announcing `announced` bytes but only a little of them; resolves with the first answer line. */
function oversized(url: string, path: string, announced: number): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: ${announced}\r\n\r\n`,
      );
      socket.write(Buffer.alloc(64 * 1024, 0x20));
    });
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
      if (answer.includes('\r\n')) {
        socket.destroy();
        resolve(answer.split('\r\n')[0]!);
      }
    });
    socket.on('error', reject);
  });
}

describe('webhook endpoints under abuse [postgres]', () => {
  let world: PaymentsWorld;
  beforeAll(async () => {
    world = await PaymentsWorld.start('postgres');
  });
  afterAll(async () => world?.stop());

  it('refuse a 50 MB body on its announced length, before it is sent', async () => {
    for (const provider of ['paystack', 'btcpay']) {
      // Only 64 KiB of the 50 MB is ever sent: an answer at all means it was refused up front.
      expect(await oversized(world.service.url, `/api/webhooks/${provider}`, 50_000_000)).toMatch(/^HTTP\/1\.1 413 /);
    }
  });

  it('refuse 200 concurrent unsigned bodies with 401, crediting nothing', async () => {
    const before = await world.service.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger_entries');
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        fetch(`${world.service.url}/api/webhooks/${i % 2 ? 'paystack' : 'btcpay'}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ event: 'charge.success', data: { reference: `forged-${i}`, amount: 2_500 } }),
        }).then(async (r) => ({ status: r.status, body: (await r.json()) as { error: { code: string } } })),
      ),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.body.error.code).toBe('invalid_signature');
    }
    const after = await world.service.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger_entries');
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });
});
