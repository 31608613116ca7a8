/**
 * The checkout being waited on, kept across reloads: a reload mid-payment
 * resumes watching it instead of letting its credits arrive unannounced.
 */
const KEY = 'atlantic.pendingCheckout';

export interface PendingCheckout {
  paymentId: string;
  packageId: string;
}

export function savePendingCheckout(pending: PendingCheckout | null): void {
  try {
    if (pending) window.localStorage.setItem(KEY, JSON.stringify(pending));
    else window.localStorage.removeItem(KEY);
  } catch {
    /* storage off (private mode): the checkout just won't survive a reload */
  }
}

export function loadPendingCheckout(): PendingCheckout | null {
  try {
    const parsed = JSON.parse(window.localStorage.getItem(KEY) ?? 'null') as Partial<PendingCheckout> | null;
    return parsed && typeof parsed.paymentId === 'string' && typeof parsed.packageId === 'string'
      ? { paymentId: parsed.paymentId, packageId: parsed.packageId }
      : null;
  } catch {
    return null;
  }
}
