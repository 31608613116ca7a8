import { createHmac, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DEFAULT_PACKAGES } from '../../shared/packages.ts';
import { createUser } from '../../server/accounts/users.ts';
import type { Db } from '../../server/db/types.ts';
import { verifyLedger } from '../../server/ledger/verify-ledger.ts';
import { createPendingPayment, type Payment } from '../../server/payments/pending-payments.ts';
import { benchServerUrl, withScratchDatabase } from './support/scratch-database.ts';
import { startServiceProcess } from './support/service-process.ts';

// Confirmed Paystack webhooks per second through the real endpoint (signature
// check, audit row, payment lock, two ledger entries) on PostgreSQL, with 10% of
// deliveries repeated as providers do, and a count of anything credited twice.
const PAYMENTS = 5_000;
const DUPLICATE_SHARE = 0.1;
const CONCURRENCY = 32;
const SECRET = 'sk_test_bench';

const log = (line: string) => console.log(line);

function chargeSuccess(payment: Payment): string {
  return JSON.stringify({
    event: 'charge.success',
    data: {
      id: Math.floor(Math.random() * 1e9),
      status: 'success',
      reference: payment.providerReference,
      amount: payment.amount,
      currency: payment.currency,
    },
  });
}

async function pendingPayments(db: Db): Promise<Payment[]> {
  const users = await Promise.all(
    Array.from({ length: 100 }, () => createUser(db, { email: `${randomUUID()}@bench.example` })),
  );
  const payments: Payment[] = [];
  for (let i = 0; i < PAYMENTS; i++) {
    const pkg = DEFAULT_PACKAGES[i % DEFAULT_PACKAGES.length]!;
    payments.push(await createPendingPayment(db, { userId: users[i % users.length]!, pkg, provider: 'paystack' }));
  }
  return payments;
}

/** Sends every body once plus the duplicates, from CONCURRENCY workers; returns status counts and elapsed ms. */
async function deliver(url: string, bodies: string[]): Promise<{ ms: number; statuses: Map<number, number> }> {
  const statuses = new Map<number, number>();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < bodies.length; i = next++) {
        const body = bodies[i]!;
        const response = await fetch(`${url}/api/webhooks/paystack`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-paystack-signature': createHmac('sha512', SECRET).update(body).digest('hex'),
          },
          body,
        });
        await response.arrayBuffer();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      }
    }),
  );
  return { ms: performance.now() - started, statuses };
}

async function doubleCredits(db: Db): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (
       SELECT payment_id FROM ledger_entries WHERE kind = 'purchase' GROUP BY payment_id HAVING count(*) > 1) twice`,
  );
  return rows[0]!.n;
}

export async function run(): Promise<void> {
  const serverUrl = benchServerUrl();
  await withScratchDatabase(serverUrl, async ({ db, url: databaseUrl }) => {
    const payments = await pendingPayments(db);
    const once = payments.map(chargeSuccess);
    // Every tenth payment's webhook arrives twice, the repeat shuffled in among the rest.
    const bodies = [...once, ...once.filter((_, i) => i % Math.round(1 / DUPLICATE_SHARE) === 0)].sort(
      () => Math.random() - 0.5,
    );
    log(
      `${payments.length} pending Paystack payments; ${bodies.length} signed deliveries (${bodies.length - once.length} repeats)`,
    );

    const service = await startServiceProcess(databaseUrl, {
      PAYMENT_METHODS: 'paystack',
      PAYSTACK_SECRET_KEY: SECRET,
      // Webhooks carry the amount: the provider is never called in this bench.
      PAYSTACK_BASE_URL: 'http://127.0.0.1:9',
    });
    try {
      await deliver(service.url, []); // the server is up
      const { ms, statuses } = await deliver(service.url, bodies);
      const perSecond = Math.round((bodies.length / ms) * 1000);
      log(
        `deliveries: ${bodies.length} in ${Math.round(ms)} ms (${perSecond}/s) with ${CONCURRENCY} senders; statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
      );

      const { rows } = await db.query<{ paid: number }>(
        `SELECT count(*)::int AS paid FROM payments WHERE status = 'paid'`,
      );
      const twice = await doubleCredits(db);
      const violations = await verifyLedger(db);
      log(
        `payments paid: ${rows[0]!.paid} of ${payments.length}; credited twice: ${twice}; verifyLedger violations: ${violations.length}`,
      );
      if (rows[0]!.paid !== payments.length || violations.length > 0)
        throw new Error('the books do not balance after the bench');
      const confirmedPerSecond = Math.round((payments.length / ms) * 1000);
      console.log(
        JSON.stringify({
          bench: 'payments',
          webhooks_per_s: perSecond,
          double_credits: twice,
          confirmed_per_s: confirmedPerSecond,
          deliveries: bodies.length,
        }),
      );
    } finally {
      await service.stop();
    }
  });
}
