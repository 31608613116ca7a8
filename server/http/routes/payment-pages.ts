import { formatCredits } from '../../../shared/money.ts';
import type { Payment } from '../../payments/pending-payments.ts';
import { packageNameOfId } from '../../../shared/display.ts';

export const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = 'body{font-family:system-ui;max-width:28rem;margin:4rem auto}.test{background:#fde68a;padding:.5rem}';

/** A small self-contained page (no scripts) for the user's browser. */
export function page(title: string, body: string, testMode: boolean): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; form-action 'self'">
<style>${STYLE}</style></head><body>${testMode ? '<p class="test"><strong>TEST MODE</strong> — no money moves.</p>' : ''}
${body}</body></html>`;
}

const SAID: Record<Payment['status'], string> = {
  paid: 'Payment received: your credits are in your wallet.',
  pending: 'We are waiting for the payment to be confirmed. Atlantic Proxy will update by itself.',
  failed: 'The payment did not go through. Nothing was charged by us; you can try again in the app.',
  refunded: 'This payment was refunded.',
};

/** What the browser shows on return from a checkout. */
export function resultPage(payment: Payment): string {
  const total = formatCredits(payment.credits + payment.bonus);
  return page(
    'Atlantic Proxy payment',
    `<h1>${escapeHtml(packageNameOfId(payment.packageId))}: ${total} credits</h1><p id="status">${SAID[payment.status]}</p>
<p>You can close this tab and return to Atlantic Proxy.</p>`,
    payment.provider === 'sandbox',
  );
}
