import type { PaystackSimulator } from '../../simulators/paystack.ts';
import { transactionView } from '../../simulators/paystack-views.ts';
import type { Delivery } from '../../simulators/webhooks.ts';
import { callJson, sleep } from '../billed-client.ts';

/** A purchase as its buyer saw it: acknowledged once the service confirmed it paid. */
export interface SeenPurchase {
  paymentId: string;
  method: 'sandbox' | 'paystack';
  acknowledged: boolean;
}

/** A Paystack event the service has not yet answered 200: Paystack sends it again later. */
export interface OwedWebhook {
  purchase: SeenPurchase;
  event: Delivery | object;
}

export interface PurchaseLoadOptions {
  url: () => string;
  token: string;
  paystack: PaystackSimulator;
  random: () => number;
  running: () => boolean;
  seen: SeenPurchase[];
  owed: OwedWebhook[];
}

/**
 * One buyer: buys the $5 package again and again, by the sandbox checkout or by
 * Paystack, whose charge.success is sometimes sent twice and sometimes held back
 * to arrive late, after other purchases' events. A purchase is acknowledged when
 * the service answered that it is paid (the checkout's Pay, or a webhook's 200).
 */
export async function purchaseLoad(options: PurchaseLoadOptions): Promise<void> {
  const { token, paystack, random } = options;
  while (options.running()) {
    const method = random() < 0.5 ? 'sandbox' : 'paystack';
    const opened = await callJson(options.url(), 'POST', '/api/credits/purchase', token, { amount: 5, method });
    if (opened?.status !== 201) {
      await sleep(200);
      continue;
    }
    const purchase: SeenPurchase = { paymentId: opened.body.payment_id, method, acknowledged: false };
    options.seen.push(purchase);
    const checkout = new URL(opened.body.checkout_url);
    if (method === 'sandbox') {
      const paid = await callJson(options.url(), 'POST', `${checkout.pathname}/pay`);
      purchase.acknowledged = paid?.status === 200;
    } else {
      const accessCode = checkout.pathname.split('/').pop();
      const transaction = paystack.transactions().find((t) => t.accessCode === accessCode);
      if (!transaction) throw new Error(`no Paystack transaction behind ${checkout.href}`);
      if (random() < 0.2) {
        await paystack.pay(transaction.reference, { webhook: false });
        const event = { event: 'charge.success', data: transactionView(paystack.transaction(transaction.reference)!) };
        options.owed.push({ purchase, event });
      } else {
        const delivery = (await paystack.pay(transaction.reference))!;
        purchase.acknowledged = delivery.status === 200;
        if (!purchase.acknowledged) options.owed.push({ purchase, event: delivery });
        else if (random() < 0.3) await paystack.deliver(delivery); // a duplicate
      }
    }
    await sleep(100 + Math.floor(random() * 300));
  }
}

/** Paystack's retries: sends every owed event again; those answered 200 are settled. */
export async function redeliver(paystack: PaystackSimulator, owed: OwedWebhook[]): Promise<void> {
  for (const item of owed.splice(0)) {
    const [delivery] = await paystack.deliver(item.event);
    if (delivery!.status === 200) item.purchase.acknowledged = true;
    else owed.push(item);
  }
}
