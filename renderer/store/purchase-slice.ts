import type { PackagesResponse, PaymentView } from '../../shared/api/credits.ts';
import { paymentOutcome } from '../../shared/payment-outcome.ts';
import type { SliceOf } from './app-store.ts';
import { atlantic } from './bridge-ref.ts';
import { loadInto, messageOf, notLoaded, type Loadable } from './loadable.ts';
import { loadPendingCheckout, savePendingCheckout } from './pending-checkout.ts';

export type CheckoutStatus = 'idle' | 'starting' | 'waiting' | 'paid' | 'cancelled' | 'expired' | 'failed';

/** One purchase from Purchase to its end: the checkout runs in the system browser meanwhile. */
export interface Checkout {
  status: CheckoutStatus;
  packageId: string | null;
  payment: PaymentView | null;
  error: string | null;
}

export interface PurchaseSlice {
  packages: Loadable<PackagesResponse>;
  /** The payment method picked; null means the service's default (the first offered). */
  method: string | null;
  checkout: Checkout;
  loadPackages(): Promise<void>;
  chooseMethod(method: string): void;
  startPurchase(packageId: string): Promise<void>;
  applyPayment(payment: PaymentView): void;
  checkPayment(): Promise<void>;
  /** After a reload: the checkout that was being waited on, watched again. */
  resumeCheckout(): Promise<void>;
  closeCheckout(): void;
}

/** How long Purchase may wait for the core before saying so (it never spins forever). */
export const PURCHASE_TIMEOUT_MS = 20_000;

const noCheckout: Checkout = { status: 'idle', packageId: null, payment: null, error: null };

const SAID: Partial<Record<CheckoutStatus, string>> = {
  cancelled: 'You cancelled the checkout. Nothing was charged.',
  expired: 'The checkout expired before it was paid. Nothing was charged.',
  failed: 'The payment did not go through. No credits were taken.',
};

const NO_ANSWER =
  'Atlantic Proxy did not answer in time, so the checkout did not open. Check that the app is running and try again.';

function statusOf(payment: PaymentView): CheckoutStatus {
  const outcome = paymentOutcome(payment);
  if (outcome === 'pending') return 'waiting';
  return outcome === 'refunded' ? 'failed' : outcome;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(NO_ANSWER)), ms);
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

export const createPurchaseSlice: SliceOf<PurchaseSlice> = (set, get) => ({
  packages: notLoaded(),
  method: null,
  checkout: noCheckout,
  loadPackages: () =>
    loadInto(
      (next) => set((s) => ({ packages: next(s.packages) })),
      () => atlantic().credits.packages(),
    ),
  chooseMethod: (method) => set({ method }),
  startPurchase: async (packageId) => {
    set({ checkout: { ...noCheckout, status: 'starting', packageId } });
    try {
      const method = get().method ?? undefined;
      const payment = await withTimeout(
        atlantic().credits.purchase(method ? { package_id: packageId, method } : { package_id: packageId }),
        PURCHASE_TIMEOUT_MS,
      );
      get().applyPayment(payment);
    } catch (error) {
      set({ checkout: { ...noCheckout, status: 'failed', packageId, error: messageOf(error) } });
    }
  },
  applyPayment: (payment) => {
    const { checkout } = get();
    // Events for some other (older) payment must not move this checkout.
    if (checkout.payment && checkout.payment.payment_id !== payment.payment_id) return;
    if (checkout.status !== 'starting' && checkout.status !== 'waiting') return;
    const status = statusOf(payment);
    set({ checkout: { ...checkout, status, payment, error: SAID[status] ?? null } });
    savePendingCheckout(status === 'waiting' ? { paymentId: payment.payment_id, packageId: payment.package_id } : null);
    if (status === 'paid') {
      get().acknowledgeEnd();
      void get().refreshWallet();
    }
  },
  checkPayment: async () => {
    const payment = get().checkout.payment;
    if (!payment || get().checkout.status !== 'waiting') return;
    try {
      get().applyPayment(await atlantic().credits.payment({ payment_id: payment.payment_id }));
    } catch {
      /* polling again shortly; the service may be briefly unreachable */
    }
  },
  resumeCheckout: async () => {
    const pending = loadPendingCheckout();
    if (!pending || get().checkout.status !== 'idle') return;
    set({ checkout: { ...noCheckout, status: 'starting', packageId: pending.packageId } });
    try {
      get().applyPayment(await atlantic().credits.payment({ payment_id: pending.paymentId }));
    } catch {
      // Gone (another account, a reset service): nothing left to wait for.
      savePendingCheckout(null);
      set({ checkout: noCheckout });
    }
  },
  closeCheckout: () => {
    savePendingCheckout(null);
    set({ checkout: noCheckout });
  },
});
