import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../../server/ledger/verify-ledger.ts';
import type { Delivery } from '../../simulators/webhooks.ts';
import { ENGINES } from '../../support/engines.ts';
import { BONUS_MICRO, PaymentsWorld, PURCHASE_MICRO, type Purchase, type User } from './payments-world.ts';

const TIMES = 100;

/** Credited once: +27 exactly, one purchase and one bonus entry, paid, books balanced. */
async function expectCreditedOnce(world: PaymentsWorld, user: User, purchase: Purchase) {
  expect(await world.balance(user)).toBe(PURCHASE_MICRO + BONUS_MICRO);
  expect(await world.entriesOf(purchase.paymentId)).toEqual([
    { kind: 'purchase', amount: PURCHASE_MICRO },
    { kind: 'bonus', amount: BONUS_MICRO },
  ]);
  expect((await world.payment(user, purchase.paymentId)).body.status).toBe('paid');
  expect(await verifyLedger(world.db)).toEqual([]);
}

const statuses = (deliveries: Delivery[]) => [...new Set(deliveries.map((d) => d.status))];

for (const engine of ENGINES) {
  describe(`payments are credited once however often the confirmation arrives: sequential [${engine}]`, () => {
    let world: PaymentsWorld;
    beforeAll(async () => {
      world = await PaymentsWorld.start(engine);
    });
    afterAll(async () => world?.stop());

    it(`Paystack: the same charge.success ${TIMES} more times, byte for byte, plus verify calls`, async () => {
      const user = await world.signUp();
      const purchase = await world.purchase(user, 'paystack');
      const first = await world.paystack.pay(purchase.reference);
      expect(first?.status).toBe(200);
      await expectCreditedOnce(world, user, purchase);

      const again = await world.paystack.deliver(first!, { times: TIMES });
      expect(statuses(again)).toEqual([200]);
      for (let i = 0; i < 5; i++) expect((await world.verify(user, purchase.paymentId)).body.status).toBe('paid');
      await expectCreditedOnce(world, user, purchase);

      const events = await world.eventsOf(purchase.paymentId);
      expect(events).toHaveLength(TIMES + 1);
      expect(events.every((e) => e.signature_valid && e.event_type === 'charge.success')).toBe(true);
      expect(events.map((e) => e.outcome)).toEqual(['credited', ...Array(TIMES).fill('duplicate')]);
    });

    it(`BTCPay: the same InvoiceSettled ${TIMES / 2} times byte for byte and ${TIMES / 2} times redelivered`, async () => {
      const user = await world.signUp();
      const purchase = await world.purchase(user, 'crypto');
      const first = await world.btcpay.settle(purchase.providerPaymentId!);
      expect(first?.status).toBe(200);
      await expectCreditedOnce(world, user, purchase);

      const replayed = await world.btcpay.deliver(first!, { times: TIMES / 2 });
      const redelivered = await world.btcpay.redeliver(first!, { times: TIMES / 2 });
      expect(statuses([...replayed, ...redelivered])).toEqual([200]);
      expect((await world.verify(user, purchase.paymentId)).body.status).toBe('paid');
      await expectCreditedOnce(world, user, purchase);

      const events = await world.eventsOf(purchase.paymentId);
      expect(events.map((e) => e.outcome)).toEqual(['credited', ...Array(TIMES).fill('duplicate')]);
    });

    it(`sandbox: the Pay button pressed ${TIMES} times`, async () => {
      const user = await world.signUp();
      const purchase = await world.purchase(user, 'sandbox');
      const path = `${new URL(purchase.checkoutUrl).pathname}/pay`;
      for (let i = 0; i < TIMES; i++) expect((await world.service.call('POST', path)).status).toBe(200);
      await expectCreditedOnce(world, user, purchase);
    });
  });
}

// PGlite is a single connection: real concurrency needs PostgreSQL.
describe('payments are credited once however often the confirmation arrives: concurrent [postgres]', () => {
  let world: PaymentsWorld;
  beforeAll(async () => {
    world = await PaymentsWorld.start('postgres');
  });
  afterAll(async () => world?.stop());

  /** Resolves the verify calls concurrently with `webhooks`, and checks every answer. */
  async function race(user: User, purchase: Purchase, webhooks: Promise<Delivery[]>, verifies = 20) {
    const [deliveries, verified] = await Promise.all([
      webhooks,
      Promise.all(Array.from({ length: verifies }, () => world.verify(user, purchase.paymentId))),
    ]);
    expect(statuses(deliveries)).toEqual([200]);
    expect([...new Set(verified.map((v) => v.status))]).toEqual([200]);
    // Each verify answer is the payment as it stood: pending (the provider had not answered yet) or paid.
    expect(verified.every((v) => ['pending', 'paid'].includes(v.body.status))).toBe(true);
    return deliveries;
  }

  /** The raced payments, and how many webhooks each received, for the audit-log check at the end. */
  const raced: { label: string; purchase: Purchase; received: number }[] = [];

  /** Every webhook received is in the audit log, signature checked. */
  async function expectAudited(label: string, purchase: Purchase, received: number) {
    const events = await world.eventsOf(purchase.paymentId);
    expect(events).toHaveLength(received);
    expect(events.every((e) => e.signature_valid)).toBe(true);
    raced.push({ label, purchase, received });
  }

  it(`Paystack: charge.success ${TIMES} times at once, racing ${20} POST /verify calls`, async () => {
    const user = await world.signUp();
    const purchase = await world.purchase(user, 'paystack');
    // Paystack's first attempt does not get through; the retries all arrive at once.
    const lost = await world.withWebhooksLost(() => world.paystack.pay(purchase.reference));
    expect(lost?.status).toBeNull();
    expect(await world.balance(user)).toBe(0);

    await race(user, purchase, world.paystack.deliver(lost!, { times: TIMES, concurrent: true }));
    await expectCreditedOnce(world, user, purchase);
    await expectAudited('Paystack', purchase, TIMES);
  });

  it(`BTCPay: InvoiceSettled ${TIMES / 2} times replayed and ${TIMES / 2} redelivered at once, racing verify`, async () => {
    const user = await world.signUp();
    const purchase = await world.purchase(user, 'crypto');
    const lost = await world.withWebhooksLost(() => world.btcpay.settle(purchase.providerPaymentId!));
    expect(lost?.status).toBeNull();

    const webhooks = Promise.all([
      world.btcpay.deliver(lost!, { times: TIMES / 2, concurrent: true }),
      world.btcpay.redeliver(lost!, { times: TIMES / 2, concurrent: true }),
    ]).then((both) => both.flat());
    await race(user, purchase, webhooks);
    await expectCreditedOnce(world, user, purchase);
    await expectAudited('BTCPay', purchase, TIMES);
  });

  it(`sandbox: Pay pressed ${TIMES} times at once, racing verify`, async () => {
    const user = await world.signUp();
    const purchase = await world.purchase(user, 'sandbox');
    const path = `${new URL(purchase.checkoutUrl).pathname}/pay`;
    const [paid, verified] = await Promise.all([
      Promise.all(Array.from({ length: TIMES }, () => world.service.call('POST', path))),
      Promise.all(Array.from({ length: 20 }, () => world.verify(user, purchase.paymentId))),
    ]);
    expect([...new Set(paid.map((p) => p.status))]).toEqual([200]);
    expect([...new Set(verified.map((v) => v.status))]).toEqual([200]);
    await expectCreditedOnce(world, user, purchase);
  });

  it('many users buying at once, each confirmation sent twice concurrently: every one credited exactly once', async () => {
    const users = await Promise.all(Array.from({ length: 10 }, () => world.signUp('crowd')));
    const purchases = await Promise.all(
      users.map((user, i) => world.purchase(user, i % 2 === 0 ? 'paystack' : 'crypto')),
    );
    const lost = await world.withWebhooksLost(() =>
      Promise.all(
        purchases.map((p, i) =>
          i % 2 === 0 ? world.paystack.pay(p.reference) : world.btcpay.settle(p.providerPaymentId!),
        ),
      ),
    );
    const deliveries = await Promise.all(
      lost.map((delivery, i) =>
        i % 2 === 0
          ? world.paystack.deliver(delivery!, { times: 2, concurrent: true })
          : world.btcpay.redeliver(delivery!, { times: 2, concurrent: true }),
      ),
    );
    expect(statuses(deliveries.flat())).toEqual([200]);
    for (const [i, user] of users.entries()) await expectCreditedOnce(world, user, purchases[i]!);
  });

  // The money is right above; this is about the audit trail of those same races: an operator
  // reconciling payment_events must see at most one 'credited' per payment (none when a racing
  // verify call credited it first), the rest 'duplicate'.
  it("the audit log of the races above says 'credited' at most once per payment, 'duplicate' for the rest", async () => {
    expect(raced.map((r) => r.label)).toEqual(['Paystack', 'BTCPay']);
    const wrong: string[] = [];
    for (const { label, purchase, received } of raced) {
      const outcomes = (await world.eventsOf(purchase.paymentId)).map((e) => e.outcome);
      const counts = countBy(outcomes);
      const credited = counts.credited ?? 0;
      if (credited > 1 || credited + (counts.duplicate ?? 0) !== received) {
        wrong.push(`${label} payment ${purchase.paymentId}: ${JSON.stringify(counts)}`);
      }
    }
    expect(wrong, 'payment_events outcomes of payments credited exactly once').toEqual([]);
  });
});

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
