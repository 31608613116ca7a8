import type { PackagesResponse, PaymentView } from '../../shared/api/credits.ts';
import type { SliceOf } from './app-store.ts';
import { atlantic } from './bridge-ref.ts';
import { loadInto, messageOf, notLoaded, type Loadable } from './loadable.ts';

export type CheckoutStatus = 'idle' | 'starting' | 'waiting' | 'paid' | 'failed';

/** One purchase from Buy to its end: the checkout runs in the system browser meanwhile. */
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
  closeCheckout(): void;
}

const noCheckout: Checkout = { status: 'idle', packageId: null, payment: null, error: null };

const FAILED = 'The payment did not go through, or its checkout expired. No credits were taken.';

function statusOf(payment: PaymentView): CheckoutStatus {
  if (payment.status === 'paid') return 'paid';
  if (payment.status === 'pending') return 'waiting';
  return 'failed';
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
      const payment = await atlantic().credits.purchase(
        method ? { package_id: packageId, method } : { package_id: packageId },
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
    set({ checkout: { ...checkout, status, payment, error: status === 'failed' ? FAILED : null } });
    if (status === 'paid') void get().refreshWallet();
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
  closeCheckout: () => set({ checkout: noCheckout }),
});
